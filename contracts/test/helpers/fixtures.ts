import { type HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { id, sha256, toUtf8Bytes, type TypedDataDomain } from 'ethers';
import { ethers } from 'hardhat';
import { deployPedigree, type PedigreeContracts } from '../../scripts/deploy';
import {
  type CustodyLedger,
  CustodyLedger__factory,
  type EventAnchor,
  EventAnchor__factory,
  type ParticipantRegistry,
  ParticipantRegistry__factory,
} from '../../typechain-types';

/** Role ids: keccak256 of the role names. */
export const ROLES = {
  DEFAULT_ADMIN: ethers.ZeroHash,
  MANUFACTURER: id('MANUFACTURER_ROLE'),
  DISTRIBUTOR: id('DISTRIBUTOR_ROLE'),
  DISPENSER: id('DISPENSER_ROLE'),
  REGULATOR: id('REGULATOR_ROLE'),
  ANCHORER: id('ANCHORER_ROLE'),
} as const;

/** Identifier hash as computed off-chain: keccak256(utf8("gcp:0614141")), keccak256(utf8("gln:...")). */
export const identifierHash = (scheme: 'gcp' | 'gln', value: string): string => id(`${scheme}:${value}`);

/** An off-chain organisation id as bytes32. */
export const orgId = (name: string): string => id(`org:${name}`);

/** Consignment id as computed off-chain: keccak256 of the SSCC URN. */
export const consignmentId = (serial: number | string): string =>
  id(`urn:epc:id:sscc:0614141.${String(serial).padStart(10, '0')}`);

/** A CBV 2.0 Event Hash ID digest (SHA-256 of the canonical event), here of a synthetic event. */
export const eventDigest = (n: number): string =>
  sha256(
    toUtf8Bytes(`eventType=ObjectEvent&eventTime=2025-01-01T00:00:${n}Z&epc=urn:epc:id:sgtin:0614141.1.${n}`),
  );

export interface PedigreeFixture {
  admin: HardhatEthersSigner;
  anchorer: HardhatEthersSigner;
  manufacturer: HardhatEthersSigner;
  distributor: HardhatEthersSigner;
  wholesaler: HardhatEthersSigner;
  dispenser: HardhatEthersSigner;
  regulator: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  deployed: PedigreeContracts;
  registry: ParticipantRegistry;
  custody: CustodyLedger;
  anchor: EventAnchor;
}

/** Deploys the three contracts with `deployPedigree`; nobody is registered yet. */
export async function deployFixture(): Promise<PedigreeFixture> {
  const [admin, anchorer, manufacturer, distributor, wholesaler, dispenser, regulator, outsider] =
    await ethers.getSigners();
  const deployed = await deployPedigree(admin, { anchorer: anchorer.address });
  return {
    admin,
    anchorer,
    manufacturer,
    distributor,
    wholesaler,
    dispenser,
    regulator,
    outsider,
    deployed,
    registry: ParticipantRegistry__factory.connect(deployed.registry, admin),
    custody: CustodyLedger__factory.connect(deployed.custody, admin),
    anchor: EventAnchor__factory.connect(deployed.anchor, anchorer),
  };
}

/** `deployFixture` plus one registered, active organisation per role (two distributors). */
export async function registeredFixture(): Promise<PedigreeFixture> {
  const fixture = await deployFixture();
  const { registry, manufacturer, distributor, wholesaler, dispenser, regulator } = fixture;
  await registry.registerParticipants([
    {
      account: manufacturer.address,
      role: ROLES.MANUFACTURER,
      orgId: orgId('acme-pharma'),
      identifierHashes: [identifierHash('gcp', '0614141'), identifierHash('gln', '0614141000005')],
    },
    {
      account: distributor.address,
      role: ROLES.DISTRIBUTOR,
      orgId: orgId('medline'),
      identifierHashes: [identifierHash('gln', '0614142000004')],
    },
    {
      account: wholesaler.address,
      role: ROLES.DISTRIBUTOR,
      orgId: orgId('northwind'),
      identifierHashes: [],
    },
    {
      account: dispenser.address,
      role: ROLES.DISPENSER,
      orgId: orgId('corner-pharmacy'),
      identifierHashes: [identifierHash('gln', '0614143000003')],
    },
    { account: regulator.address, role: ROLES.REGULATOR, orgId: orgId('fda'), identifierHashes: [] },
  ]);
  return fixture;
}

/** EIP-712 types of CustodyLedger's relayed handoffs (the ledger's copy lives in libs/chain; a test checks both). */
export const SHIPMENT_TYPE = [
  { name: 'consignmentId', type: 'bytes32' },
  { name: 'to', type: 'address' },
  { name: 'eventHash', type: 'bytes32' },
  { name: 'sequence', type: 'uint256' },
];
export const RECEIPT_TYPE = [
  { name: 'consignmentId', type: 'bytes32' },
  { name: 'eventHash', type: 'bytes32' },
  { name: 'sequence', type: 'uint256' },
];

export async function custodyDomain(custody: CustodyLedger): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return {
    name: 'Pedigree CustodyLedger',
    version: '1',
    chainId,
    verifyingContract: await custody.getAddress(),
  };
}

/** A shipment signed by `signer` at the consignment's current sequence, ready for `relayShipments`. */
export async function signShipment(
  custody: CustodyLedger,
  signer: HardhatEthersSigner,
  consignment: string,
  to: string,
  eventHash: string,
): Promise<{ consignmentId: string; to: string; eventHash: string; signature: string }> {
  const [sequence] = await custody.sequencesOf([consignment]);
  const signature = await signer.signTypedData(
    await custodyDomain(custody),
    { Shipment: SHIPMENT_TYPE },
    { consignmentId: consignment, to, eventHash, sequence },
  );
  return { consignmentId: consignment, to, eventHash, signature };
}

/** A receipt signed by `signer` for the consignment's pending shipment, ready for `relayReceipts`. */
export async function signReceipt(
  custody: CustodyLedger,
  signer: HardhatEthersSigner,
  consignment: string,
  eventHash: string,
): Promise<{ consignmentId: string; eventHash: string; signature: string }> {
  const [sequence] = await custody.sequencesOf([consignment]);
  const signature = await signer.signTypedData(
    await custodyDomain(custody),
    { Receipt: RECEIPT_TYPE },
    { consignmentId: consignment, eventHash, sequence },
  );
  return { consignmentId: consignment, eventHash, signature };
}
