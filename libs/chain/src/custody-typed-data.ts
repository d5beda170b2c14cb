import { type TypedDataDomain, type TypedDataField, verifyTypedData, type Signer } from 'ethers';
import type { ChainDeployment } from './chain-deployment';

/**
 * EIP-712 typed data of CustodyLedger's relayed handoffs, and of the proof that a member holds the key it
 * registers as its custody address. The contract computes the same digests (`handoffDigest`; a contract test
 * and the ledger's integration test check that both sides agree).
 */
export const CUSTODY_DOMAIN = { name: 'Pedigree CustodyLedger', version: '1' } as const;

export const CUSTODY_TYPES: Record<'Shipment' | 'Receipt' | 'CustodyKey', TypedDataField[]> = {
  Shipment: [
    { name: 'consignmentId', type: 'bytes32' },
    { name: 'to', type: 'address' },
    { name: 'eventHash', type: 'bytes32' },
    { name: 'sequence', type: 'uint256' },
  ],
  Receipt: [
    { name: 'consignmentId', type: 'bytes32' },
    { name: 'eventHash', type: 'bytes32' },
    { name: 'sequence', type: 'uint256' },
  ],
  // Signed off-chain only: binds the key to the organisation that registers it, so one member cannot
  // register another's address (and so later receive custody signed for it).
  CustodyKey: [
    { name: 'organisationId', type: 'string' },
    { name: 'key', type: 'address' },
  ],
};

/** A handoff as the custodian (ship) or the addressee (receive) signs it. */
export interface Handoff {
  action: 'ship' | 'receive';
  consignmentId: string;
  /** The addressee of a shipment. */
  to?: string;
  /** The EPCIS event's Event Hash ID digest, hex with or without 0x. */
  eventHash: string;
  /** The consignment's shipment count on chain: before a shipment, or of the shipment a receipt closes. */
  sequence: bigint | number;
}

export interface HandoffTypedData {
  domain: TypedDataDomain;
  primaryType: 'Shipment' | 'Receipt';
  types: Record<string, TypedDataField[]>;
  message: Record<string, string>;
}

export function custodyDomain(deployment: Pick<ChainDeployment, 'chainId' | 'contracts'>): TypedDataDomain {
  return {
    ...CUSTODY_DOMAIN,
    chainId: deployment.chainId,
    verifyingContract: deployment.contracts.CustodyLedger,
  };
}

export function bytes32Hex(hex: string): string {
  const bare = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{64}$/.test(bare)) throw new Error(`not a 32-byte hex value: ${hex}`);
  return `0x${bare.toLowerCase()}`;
}

export function handoffTypedData(domain: TypedDataDomain, handoff: Handoff): HandoffTypedData {
  const base = {
    consignmentId: bytes32Hex(handoff.consignmentId),
    eventHash: bytes32Hex(handoff.eventHash),
    sequence: String(handoff.sequence),
  };
  if (handoff.action === 'ship') {
    if (!handoff.to) throw new Error('a shipment names its addressee');
    return {
      domain,
      primaryType: 'Shipment',
      types: { Shipment: CUSTODY_TYPES.Shipment },
      message: { ...base, to: handoff.to },
    };
  }
  return { domain, primaryType: 'Receipt', types: { Receipt: CUSTODY_TYPES.Receipt }, message: base };
}

export function signHandoff(signer: Signer, domain: TypedDataDomain, handoff: Handoff): Promise<string> {
  const typed = handoffTypedData(domain, handoff);
  return signer.signTypedData(typed.domain, typed.types, typed.message);
}

/** The address that signed a handoff; throws on a malformed signature. */
export function handoffSigner(domain: TypedDataDomain, handoff: Handoff, signature: string): string {
  const typed = handoffTypedData(domain, handoff);
  return verifyTypedData(typed.domain, typed.types, typed.message, signature);
}

export function custodyKeyTypedData(
  domain: TypedDataDomain,
  organisationId: string,
  key: string,
): { domain: TypedDataDomain; types: Record<string, TypedDataField[]>; message: Record<string, string> } {
  return { domain, types: { CustodyKey: CUSTODY_TYPES.CustodyKey }, message: { organisationId, key } };
}

/** The address that signed a custody-key registration; throws on a malformed signature. */
export function custodyKeySigner(
  domain: TypedDataDomain,
  organisationId: string,
  key: string,
  signature: string,
): string {
  const typed = custodyKeyTypedData(domain, organisationId, key);
  return verifyTypedData(typed.domain, typed.types, typed.message, signature);
}
