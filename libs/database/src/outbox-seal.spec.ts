import fc from 'fast-check';
import { OutboxSeal } from './outbox-seal';

const sealer = new OutboxSeal('a-secret-of-at-least-thirty-two-characters');

describe('OutboxSeal', () => {
  it('accepts a payload back from jsonb (keys reordered) and refuses any change to kind, payload or key', () => {
    fc.assert(
      fc.property(
        fc.record({
          eventHashes: fc.array(
            fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
            { minLength: 1 },
          ),
        }),
        (payload) => {
          const seal = sealer.seal('anchor', payload);
          // PostgreSQL's jsonb gives keys back in its own order: the canonical form makes that irrelevant.
          const reordered = JSON.parse(JSON.stringify({ ...payload })) as typeof payload;
          expect(sealer.verify('anchor', reordered, seal)).toBe(true);
          expect(sealer.verify('custody', payload, seal)).toBe(false);
          expect(sealer.verify('anchor', { eventHashes: [...payload.eventHashes, 'ff'] }, seal)).toBe(false);
          expect(
            new OutboxSeal('another-secret-of-at-least-thirty-two-chars').verify('anchor', payload, seal),
          ).toBe(false);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a missing or truncated seal', () => {
    const payload = { action: 'register', organisationId: 'x' };
    expect(sealer.verify('participant', payload, null)).toBe(false);
    expect(sealer.verify('participant', payload, sealer.seal('participant', payload).subarray(0, 16))).toBe(
      false,
    );
    expect(
      sealer.verify(
        'participant',
        { organisationId: 'x', action: 'register' },
        sealer.seal('participant', payload),
      ),
    ).toBe(true);
  });

  it('writes an entry in the caller’s transaction with a seal the ledger accepts', async () => {
    const statements: { sql: string; parameters?: unknown[] }[] = [];
    const manager = {
      query: (sql: string, parameters?: unknown[]) => Promise.resolve(statements.push({ sql, parameters })),
    };
    const payload = { alertId: 'a1', status: 'resolved', epcs: ['urn:epc:id:sgtin:4012345.011111.1'] };
    await sealer.write(manager, 'alert', payload);
    expect(statements).toHaveLength(1);
    const [kind, json, seal] = statements[0]!.parameters as [string, string, Buffer];
    expect(statements[0]!.sql).toMatch(/^INSERT INTO ledger_outbox \(kind, payload, seal\)/);
    expect(kind).toBe('alert');
    expect(JSON.parse(json)).toEqual(payload);
    expect(sealer.verify('alert', JSON.parse(json), seal)).toBe(true);
  });
});
