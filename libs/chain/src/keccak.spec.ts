import { randomBytes } from 'node:crypto';
import { keccak256 } from 'ethers';
import { keccak256Bytes, keccak256Reference, loadFastKeccak } from './keccak';

describe('keccak256Bytes', () => {
  it('loads the WebAssembly hash and agrees with the JS one and with ethers on every length', async () => {
    expect(await loadFastKeccak()).toBe(true);
    for (const length of [0, 1, 31, 32, 33, 64, 135, 136, 137, 1000]) {
      const data = randomBytes(length);
      const fast = Buffer.from(keccak256Bytes(data));
      expect(fast).toEqual(Buffer.from(keccak256Reference(data)));
      expect(`0x${fast.toString('hex')}`).toBe(keccak256(data));
    }
  });

  it('is not disturbed by interleaved use (one hasher is reused)', async () => {
    await loadFastKeccak();
    const a = randomBytes(64);
    const b = randomBytes(64);
    const first = keccak256Bytes(a);
    const copy = Buffer.from(first);
    keccak256Bytes(b);
    // Each result is its own array, not a view of the hasher's memory that the next hash overwrites.
    expect(Buffer.from(first)).toEqual(copy);
    expect(Buffer.from(keccak256Bytes(a))).toEqual(copy);
  });
});
