import { ReorderBuffer } from './reorder-buffer';

const OPTIONS = { latenessMs: 0, idleMs: 5_000, maxHoldMs: 60_000, maxItems: 1_000 };
const items = (...times: number[]) => times.map((at) => ({ at, value: `e${at}` }));

describe('ReorderBuffer', () => {
  // Times here are when each item was written (ingest's record time); the partitions are p0, p1, ….
  it('holds what one partition read until the other partitions pass its time', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(10, 20, 30), 0, 'p0');
    buffer.add(items(5), 0, 'p1');
    expect(buffer.release(0)).toEqual(['e5']);
    // p1 catches up to 25: p0's 10 and 20 and p1's own 15 and 25 go on, in time order.
    buffer.add(items(15, 25), 100, 'p1');
    expect(buffer.release(100)).toEqual(['e10', 'e15', 'e20', 'e25']);
    expect(buffer.size).toBe(1);
  });

  it('lets a silent partition stop holding the others back', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(1), 0, 'p1');
    buffer.add(items(50, 60), 1_000, 'p0');
    expect(buffer.release(1_000)).toEqual(['e1']);
    expect(buffer.release(4_999)).toEqual([]);
    expect(buffer.release(5_000)).toEqual(['e50', 'e60']);
  });

  it('never holds anything longer than the hold bound, and keeps order when it lets go', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(0), 0, 'slow');
    buffer.add(items(100, 200, 300), 0, 'fast');
    for (let now = 1_000; now < 60_000; now += 1_000) buffer.add(items(0), now, 'slow');
    const early = buffer.release(59_000);
    expect(early.length).toBe(60);
    expect(early.every((e) => e === 'e0')).toBe(true);
    expect(buffer.release(60_000)).toEqual(['e100', 'e200', 'e300']);
  });

  it('holds a dead letter past the hold bound while a partition with a backlog has yet to reach its time', () => {
    // Intelligence minutes behind: the dead letter (rejected at 5,000) is read at once, the accepted history before it
    // arrives in turns. The receipt it rejected names packs that history brings.
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(5_000), 0);
    for (let now = 0; now <= 120_000; now += 10_000) buffer.add(items(now / 100), now, 'p0', true);
    const released = buffer.release(120_000);
    expect(released).not.toContain('e5000');
    expect(released).toContain('e1200');
    // The backlog read past it: it goes on, after everything written before it.
    buffer.add(items(5_001), 130_000, 'p0', true);
    expect(buffer.release(130_000)).toEqual(['e5000', 'e5001']);
    // A backlog partition that stops delivering for the hold bound no longer holds anything back.
    buffer.add(items(9_000), 130_000);
    expect(buffer.release(189_999)).toEqual([]);
    expect(buffer.release(190_000)).toEqual(['e9000']);
  });

  it('keeps at most maxItems, letting the earliest heads go first', () => {
    const buffer = new ReorderBuffer<string>({ ...OPTIONS, maxItems: 2 });
    buffer.add(items(1), 0, 'p1');
    buffer.add(items(10, 20, 30, 40), 0, 'p0');
    expect(buffer.release(0)).toEqual(['e1', 'e10', 'e20']);
    expect(buffer.size).toBe(2);
  });

  it('passes a stream with no source straight through, in the order read', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(3, 1, 2), 0);
    expect(buffer.release(0)).toEqual(['e3', 'e1', 'e2']);
    expect(buffer.size).toBe(0);
  });

  it('orders items without a source (dead letters) among the partitions, without holding them back', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(10, 30), 0, 'p0');
    buffer.add(items(20), 0, 'p1');
    buffer.add(items(15), 0);
    expect(buffer.release(0)).toEqual(['e10', 'e15', 'e20']);
  });

  it('equal event times keep the order they were read in', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(
      [
        { at: 7, value: 'first' },
        { at: 7, value: 'second' },
        { at: 7, value: 'third' },
      ],
      0,
    );
    expect(buffer.release(0)).toEqual(['first', 'second', 'third']);
  });

  it('keeps each partition in the order read, and waits the allowed lateness before merging past a partition', () => {
    const buffer = new ReorderBuffer<string>({ ...OPTIONS, latenessMs: 10 });
    // p0 read a document sent late (95 after 100): it stays where it arrived, as a late upload does.
    buffer.add(items(100, 95), 0, 'p0');
    buffer.add(items(104), 0, 'p1');
    expect(buffer.release(0)).toEqual([]);
    buffer.add(items(115), 1, 'p1');
    buffer.add(items(120), 1, 'p0');
    expect(buffer.release(1)).toEqual(['e100', 'e95', 'e104']);
  });

  it('never takes a partition with more to read for a silent one, however long the consumer is busy elsewhere', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(10), 0, 'p1', true);
    buffer.add(items(20, 30), 0, 'p0');
    expect(buffer.release(0)).toEqual(['e10']);
    expect(buffer.release(30_000)).toEqual([]);
    buffer.add(items(25), 30_000, 'p1');
    expect(buffer.release(30_000)).toEqual(['e20', 'e25']);
    expect(buffer.release(35_000)).toEqual(['e30']);
  });

  it('waits for an assigned partition that has not delivered yet, until it falls idle', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.expect(['p0', 'p1'], 0);
    buffer.add(items(10, 20), 0, 'p0');
    expect(buffer.release(0)).toEqual([]);
    buffer.add(items(15), 1_000, 'p1');
    expect(buffer.release(1_000)).toEqual(['e10', 'e15']);
    expect(buffer.release(6_000)).toEqual(['e20']);
  });

  it('resumes from a JSON snapshot holding the same items and marks', () => {
    const buffer = new ReorderBuffer<string>(OPTIONS);
    buffer.add(items(10, 20), 0, 'p0');
    buffer.add(items(5), 0, 'p1');
    buffer.release(0);
    const copy = new ReorderBuffer<string>(OPTIONS);
    copy.restore(JSON.parse(JSON.stringify(buffer.snapshot())));
    expect(copy.size).toBe(2);
    copy.add(items(15), 10, 'p1');
    expect(copy.release(10)).toEqual(['e10', 'e15']);
    expect(copy.watermark(10)).toBe(15);
  });
});
