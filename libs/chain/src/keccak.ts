import { keccak_256 } from '@noble/hashes/sha3';
import { createKeccak, type IHasher } from 'hash-wasm';

let wasm: IHasher | undefined;
let loading: Promise<boolean> | undefined;

/**
 * Loads the WebAssembly keccak of hash-wasm: ~0.7 µs per 64-byte hash here against ~10 µs for the pure-JS one of
 * @noble/hashes, and Merkle work is mostly keccak (3,000 hashes per 1,000-event batch, a dozen per proof checked).
 * Node 20's OpenSSL has SHA3 but not Ethereum's keccak padding. Starts on import; until it has loaded (or if
 * WebAssembly is unavailable) the JS hash answers, with the same result.
 */
export function loadFastKeccak(): Promise<boolean> {
  return (loading ??= createKeccak(256).then(
    (hasher) => {
      wasm = hasher;
      return true;
    },
    () => false,
  ));
}

void loadFastKeccak();

/** keccak256 of bytes, as bytes. */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  if (!wasm) return keccak_256(data);
  wasm.init();
  wasm.update(data);
  return wasm.digest('binary');
}

/** The pure-JS hash, for checking the fast one against. */
export const keccak256Reference = keccak_256;
