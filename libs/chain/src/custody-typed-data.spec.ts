import { TypedDataEncoder, Wallet } from 'ethers';
import {
  bytes32Hex,
  custodyDomain,
  custodyKeySigner,
  custodyKeyTypedData,
  handoffSigner,
  handoffTypedData,
  signHandoff,
} from './custody-typed-data';

const domain = custodyDomain({
  chainId: 31337,
  contracts: {
    CustodyLedger: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    EventAnchor: '0x0000000000000000000000000000000000000001',
    ParticipantRegistry: '0x0000000000000000000000000000000000000002',
  },
});
const consignmentId = `0x${'ab'.repeat(32)}`;
const eventHash = 'cd'.repeat(32);

describe('custody typed data', () => {
  const wallet = Wallet.createRandom();
  const to = Wallet.createRandom().address;

  it('signs and recovers a shipment and a receipt; any changed field recovers somebody else', async () => {
    const ship = { action: 'ship' as const, consignmentId, to, eventHash, sequence: 3n };
    const signature = await signHandoff(wallet, domain, ship);
    expect(handoffSigner(domain, ship, signature)).toBe(wallet.address);
    for (const changed of [
      { ...ship, sequence: 4n },
      { ...ship, to: wallet.address },
      { ...ship, eventHash: 'ce'.repeat(32) },
      { ...ship, action: 'receive' as const },
    ])
      expect(handoffSigner(domain, changed, signature)).not.toBe(wallet.address);
    const receipt = { action: 'receive' as const, consignmentId, eventHash, sequence: 3 };
    expect(handoffSigner(domain, receipt, await signHandoff(wallet, domain, receipt))).toBe(wallet.address);
    expect(
      handoffSigner({ ...domain, chainId: 1 }, receipt, await signHandoff(wallet, domain, receipt)),
    ).not.toBe(wallet.address);
  });

  it('encodes the types the contract hashes (Shipment and Receipt, event hash as bytes32)', () => {
    const typed = handoffTypedData(domain, { action: 'ship', consignmentId, to, eventHash, sequence: 1 });
    expect(TypedDataEncoder.from(typed.types).encodeType('Shipment')).toBe(
      'Shipment(bytes32 consignmentId,address to,bytes32 eventHash,uint256 sequence)',
    );
    expect(typed.message.eventHash).toBe(`0x${eventHash}`);
    const receipt = handoffTypedData(domain, { action: 'receive', consignmentId, eventHash, sequence: 1 });
    expect(TypedDataEncoder.from(receipt.types).encodeType('Receipt')).toBe(
      'Receipt(bytes32 consignmentId,bytes32 eventHash,uint256 sequence)',
    );
    expect(() => handoffTypedData(domain, { action: 'ship', consignmentId, eventHash, sequence: 1 })).toThrow(
      /addressee/,
    );
  });

  it('binds a custody key registration to one organisation', async () => {
    const typed = custodyKeyTypedData(domain, 'org-a', wallet.address);
    const signature = await wallet.signTypedData(typed.domain, typed.types, typed.message);
    expect(custodyKeySigner(domain, 'org-a', wallet.address, signature)).toBe(wallet.address);
    expect(custodyKeySigner(domain, 'org-b', wallet.address, signature)).not.toBe(wallet.address);
  });

  it('accepts 32-byte hex with or without 0x and refuses anything else', () => {
    expect(bytes32Hex('AB'.repeat(32))).toBe(`0x${'ab'.repeat(32)}`);
    expect(() => bytes32Hex('0x1234')).toThrow(/32-byte/);
  });
});
