import type { PedigreeConfig } from '@pedigree/config';
import type { AuthRepository } from './auth.repository';
import type { Principal } from './principal';
import { STREAM_TICKET_TTL_MS, StreamTicketService } from './stream-ticket.service';

const config = { apiRelayPrivateKey: `0x${'11'.repeat(32)}` } as PedigreeConfig;
const record = {
  keyId: 'key-1',
  keyHash: Buffer.alloc(32),
  organisationId: 'org-1',
  organisationName: 'Apotheke',
  role: 'dispenser' as const,
  companyPrefixes: ['4260001'],
  glns: [],
};

function service(active = true) {
  const repository = {
    findActiveKeyById: jest.fn((id: string) =>
      Promise.resolve(active && id === 'key-1' ? record : undefined),
    ),
  };
  return { tickets: new StreamTicketService(config, repository as unknown as AuthRepository), repository };
}

const dispenser: Principal = {
  role: 'dispenser',
  organisationId: 'org-1',
  apiKeyId: 'key-1',
  companyPrefixes: [],
  glns: [],
};

describe('StreamTicketService', () => {
  it('redeems a fresh ticket for the key it was issued for, and carries no key', async () => {
    const { tickets } = service();
    const { ticket } = tickets.issue(dispenser);
    expect(ticket).not.toContain('pdg_');
    await expect(tickets.redeem(ticket)).resolves.toMatchObject({
      role: 'dispenser',
      organisationId: 'org-1',
    });
  });

  it('refuses an expired, altered or foreign ticket, and one whose key was revoked', async () => {
    const { tickets } = service();
    const now = Date.now();
    const { ticket } = tickets.issue(dispenser, now);
    await expect(tickets.redeem(ticket, now + STREAM_TICKET_TTL_MS + 1)).rejects.toThrow(/expired/);
    const [body, signature] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ k: 'admin', e: now + 60_000, n: 'x' })).toString('base64url');
    await expect(tickets.redeem(`${forged}.${signature}`)).rejects.toThrow(/not valid/);
    await expect(tickets.redeem(`${body}.${'A'.repeat(43)}`)).rejects.toThrow(/not valid/);
    const other = new StreamTicketService(
      { apiRelayPrivateKey: `0x${'22'.repeat(32)}` } as PedigreeConfig,
      service().repository as unknown as AuthRepository,
    );
    await expect(other.redeem(ticket)).rejects.toThrow(/not valid/);
    await expect(service(false).tickets.redeem(ticket)).rejects.toThrow(/revoked/);
  });
});
