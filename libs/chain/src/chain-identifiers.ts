import { keccak256, toUtf8Bytes } from 'ethers';

/** On-chain ids are hashes: the chain holds no readable identifiers of products or partners. */
export function identifierHash(kind: 'gcp' | 'gln', value: string): string {
  return keccak256(toUtf8Bytes(`${kind}:${value}`));
}

export function consignmentId(consignmentKey: string): string {
  return keccak256(toUtf8Bytes(consignmentKey));
}

/** Fixed HD-wallet indexes; organisations start at 10. */
export const ACCOUNT_INDEX = { consortiumAdmin: 0, anchorer: 1, custodyRelayer: 2 } as const;
