import { StrandedStock, strandedEvidence, type StrandedVerdict } from './stranded-stock.detector';

const DAY = 86_400_000;
const PHARMACY = '4012345000009';
/** Packs of one GTIN (company prefix 4012345, item reference 012345): `pack('a', 3)` is `...012345.a3`. */
const pack = (batch: string, n: number) => `urn:epc:id:sgtin:4012345.012345.${batch}${n}`;
const packs = (batch: string, count: number) => Array.from({ length: count }, (_, i) => pack(batch, i));

function delivered(stock: StrandedStock, batch: string, count: number, at: number): StrandedVerdict[] {
  return stock.receive({
    site: PHARMACY,
    at,
    subject: `urn:epc:id:sscc:4012345.00000000${batch.length}${batch}`,
    eventHash: `ni:///sha-256;${batch}`,
    packs: packs(batch, count),
  });
}

/** The pharmacy sells `count` packs of batch `batch` on day `day`. */
function sells(stock: StrandedStock, batch: string, count: number, at: number): StrandedVerdict[] {
  return packs(batch, count).flatMap((epc) => stock.moved(epc, at, PHARMACY));
}

describe('StrandedStock', () => {
  it('calls a large delivery stranded when the pharmacy re-orders half of it and sells that newer stock', () => {
    const stock = new StrandedStock();
    expect(delivered(stock, 'big', 40, 0)).toEqual([]);
    // Ten regular deliveries of 2 packs, each sold: 20 received and 20 sold since, half of the 40.
    const verdicts: StrandedVerdict[] = [];
    for (let i = 0; i < 10; i++) {
      verdicts.push(...delivered(stock, `r${i}x`, 2, (i + 1) * DAY));
      verdicts.push(...sells(stock, `r${i}x`, 2, (i + 1.5) * DAY));
    }
    expect(verdicts).toHaveLength(1);
    const [verdict] = verdicts;
    expect(verdict?.kind).toBe('stranded');
    expect(verdict?.delivery).toMatchObject({ size: 40, soldSince: 20, receivedSince: 20, site: PHARMACY });
    expect(verdict?.delivery.remaining).toHaveLength(40);
    expect(strandedEvidence(verdict!.delivery)).toBe(0.5);
  });

  it('needs both: sales without re-orders (or re-orders without sales) are not evidence', () => {
    const soldOnly = new StrandedStock();
    delivered(soldOnly, 'big', 20, 0);
    delivered(soldOnly, 'old', 5, -DAY);
    // The pharmacy sells older stock first and never re-orders: it is still living off its shelf.
    expect(sells(soldOnly, 'old', 5, DAY)).toEqual([]);
    expect(sells(soldOnly, 'more', 20, 2 * DAY)).toEqual([]);

    const receivedOnly = new StrandedStock();
    delivered(receivedOnly, 'big', 20, 0);
    expect(delivered(receivedOnly, 'next', 30, DAY)).toEqual([]);
  });

  it('counts only sales of stock that arrived after the delivery: selling older stock first is normal', () => {
    const stock = new StrandedStock();
    delivered(stock, 'old', 10, -DAY);
    delivered(stock, 'big', 20, 0);
    delivered(stock, 'r', 10, DAY);
    expect(sells(stock, 'old', 10, 2 * DAY)).toEqual([]);
    expect(sells(stock, 'r', 10, 3 * DAY).map((v) => v.kind)).toEqual(['stranded']);
  });

  it('stops following a delivery whose packs are being sold', () => {
    const stock = new StrandedStock();
    delivered(stock, 'big', 20, 0);
    sells(stock, 'big', 3, DAY);
    expect(stock.size).toBe(0);
    const verdicts = [...delivered(stock, 'r', 10, 2 * DAY), ...sells(stock, 'r', 10, 3 * DAY)];
    expect(verdicts.filter((v) => v.kind === 'stranded' && v.delivery.size === 20)).toEqual([]);
  });

  it('does not count what happened before the receipt, and ignores small deliveries', () => {
    const stock = new StrandedStock();
    delivered(stock, 'small', 11, 0);
    expect(stock.size).toBe(0);
    delivered(stock, 'big', 20, 5 * DAY);
    // Events dated before the receipt (a late upload) are neither sales from other stock nor re-orders.
    expect([...delivered(stock, 'early', 10, DAY), ...sells(stock, 'early', 10, 2 * DAY)]).toEqual([]);
  });

  it('reports a stranded delivery that moves after all, once', () => {
    const stock = new StrandedStock();
    delivered(stock, 'big', 20, 0);
    delivered(stock, 'r', 10, DAY);
    expect(sells(stock, 'r', 10, 2 * DAY).map((v) => v.kind)).toEqual(['stranded']);
    const moved = sells(stock, 'big', 20, 30 * DAY);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ kind: 'moved', at: 30 * DAY });
    expect(moved[0]?.delivery.remaining).toHaveLength(17);
    expect(stock.size).toBe(0);
  });

  it('survives a snapshot and forgets deliveries past the follow period', () => {
    const stock = new StrandedStock();
    delivered(stock, 'big', 20, 0);
    delivered(stock, 'r', 6, DAY);
    const copy = new StrandedStock();
    copy.restore(JSON.parse(JSON.stringify(stock.snapshot())));
    expect(delivered(copy, 's', 6, 2 * DAY)).toEqual([]);
    expect(sells(copy, 'r', 6, 3 * DAY)).toEqual([]);
    expect(sells(copy, 's', 4, 3 * DAY).map((v) => v.kind)).toEqual(['stranded']);

    copy.sweep(121 * DAY);
    expect(copy.size).toBe(0);
  });

  it('keeps at most maxDeliveries, dropping the oldest', () => {
    const stock = new StrandedStock({
      minPacks: 1,
      untouchedShare: 0.9,
      evidenceRatio: 0.5,
      maxAgeDays: 120,
      maxDeliveries: 2,
    });
    for (const batch of ['a', 'b', 'c']) delivered(stock, batch, 1, 0);
    expect(stock.snapshot().deliveries.map((d) => d.remaining[0])).toEqual([pack('b', 0), pack('c', 0)]);
  });
});
