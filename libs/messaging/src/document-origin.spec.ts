import fc from 'fast-check';
import { TypedDataEncoder, verifyTypedData, Wallet } from 'ethers';
import {
  documentSha256,
  memberDigest,
  ORIGIN_DOMAIN,
  ORIGIN_TYPES,
  OriginError,
  recoverOrigin,
  signDocument,
  signRelay,
} from './document-origin';
import { Headers } from './topics';

const member = new Wallet('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba');
const relay = new Wallet('0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e');

describe('document origin', () => {
  it('recovers the member that signed, exactly as ethers verifyTypedData does, for any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), async (bytes, proceed) => {
        const behaviour = proceed ? 'proceed' : 'rollback';
        const headers = await signDocument(member, bytes, behaviour);
        const origin = recoverOrigin(bytes, headers);
        const expected = verifyTypedData(
          ORIGIN_DOMAIN,
          ORIGIN_TYPES.member,
          { documentSha256: documentSha256(bytes), errorBehaviour: behaviour },
          headers[Headers.signature]!,
        );
        expect(origin).toMatchObject({ kind: 'member', signer: member.address, errorBehaviour: behaviour });
        expect(origin.signer).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('computes the digest wallets and KMS signers sign (EIP-712, as ethers hashes it)', () => {
    const bytes = Buffer.from('{"type":"EPCISDocument"}');
    expect(memberDigest(bytes, 'proceed')).toBe(
      TypedDataEncoder.hash(ORIGIN_DOMAIN, ORIGIN_TYPES.member, {
        documentSha256: documentSha256(bytes),
        errorBehaviour: 'proceed',
      }),
    );
  });

  it('names another signer when one byte, the error behaviour, or a relay claim changes', async () => {
    const bytes = Buffer.from('{"type":"EPCISDocument","epcisBody":{"eventList":[]}}');
    const signed = await signDocument(member, bytes);
    const flipped = Buffer.from(bytes);
    flipped[5] ^= 1;
    expect(recoverOrigin(flipped, signed).signer).not.toBe(member.address);
    expect(recoverOrigin(bytes, { ...signed, [Headers.errorBehaviour]: 'proceed' }).signer).not.toBe(
      member.address,
    );

    const relayed = await signRelay(relay, bytes, {
      publisher: 'org-a',
      captureId: 'job-1',
      errorBehaviour: 'rollback',
    });
    expect(recoverOrigin(bytes, relayed)).toMatchObject({
      kind: 'relay',
      signer: relay.address,
      publisher: 'org-a',
      captureId: 'job-1',
    });
    for (const change of [
      { [Headers.publisherOrgId]: 'org-b' },
      { [Headers.captureId]: 'job-2' },
      { [Headers.errorBehaviour]: 'proceed' },
    ]) {
      expect(recoverOrigin(bytes, { ...relayed, ...change }).signer).not.toBe(relay.address);
    }
  });

  it('refuses a document without a signature, whatever publisher header it carries, and a garbled signature', () => {
    const bytes = Buffer.from('{}');
    expect(() => recoverOrigin(bytes, { [Headers.publisherOrgId]: 'org-a' })).toThrow(OriginError);
    expect(() => recoverOrigin(bytes, { [Headers.publisherOrgId]: 'org-a' })).toThrow(/not signed/);
    for (const garbled of ['0x1234', 'not hex at all', `0x${'ff'.repeat(65)}`]) {
      try {
        recoverOrigin(bytes, { [Headers.signature]: garbled });
        fail('expected an OriginError');
      } catch (error) {
        expect((error as OriginError).code).toBe('ORIGIN_MALFORMED');
      }
    }
  });
});
