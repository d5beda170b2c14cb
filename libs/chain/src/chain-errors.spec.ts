import { Interface, makeError } from 'ethers';
import { decodeChainError } from './chain-errors';

const ABI = new Interface(['error CustodyLedgerNotCustodian(bytes32 consignmentId, address account)']);
const CONSIGNMENT = `0x${'ab'.repeat(32)}`;
const ACCOUNT = '0x00000000000000000000000000000000000000aa';
const DATA = ABI.encodeErrorResult('CustodyLedgerNotCustodian', [CONSIGNMENT, ACCOUNT]);

/** A gas estimate's revert as ethers raises it: the custom error's data, undecoded. */
function estimateRevert(data: string | null) {
  return makeError('execution reverted (unknown custom error)', 'CALL_EXCEPTION', {
    action: 'estimateGas',
    data,
    reason: null,
    transaction: { to: null, data: '0x' },
    invocation: null,
    revert: null,
  });
}

describe('decodeChainError', () => {
  it("names a revert ethers decoded (a contract call's)", () => {
    const error = Object.assign(estimateRevert(DATA), {
      revert: { name: 'CustodyLedgerNotCustodian', args: [CONSIGNMENT, ACCOUNT] },
    });
    expect(decodeChainError(error)).toMatchObject({ kind: 'revert', name: 'CustodyLedgerNotCustodian' });
  });

  it("names a gas estimate's custom error from its data with the contract's ABI", () => {
    const decoded = decodeChainError(estimateRevert(DATA), ABI);
    expect(decoded.kind).toBe('revert');
    expect(decoded.name).toBe('CustodyLedgerNotCustodian');
    expect(decoded.args?.[0]).toBe(CONSIGNMENT);
  });

  it('leaves a revert unnamed without an ABI, or with data the ABI does not know', () => {
    expect(decodeChainError(estimateRevert(DATA)).name).toBeUndefined();
    const unknown = decodeChainError(estimateRevert('0xdeadbeef'), ABI);
    expect(unknown).toMatchObject({ kind: 'revert', name: undefined });
    expect(unknown.message).toContain('execution reverted');
    expect(decodeChainError(estimateRevert(null), ABI).name).toBeUndefined();
  });

  it('tells a transport failure from a revert', () => {
    expect(decodeChainError(new Error('connect ECONNREFUSED 127.0.0.1:8545')).kind).toBe('transport');
    expect(decodeChainError(makeError('nonce too low', 'NONCE_EXPIRED', { transaction: {} })).kind).toBe(
      'nonce',
    );
  });
});
