import { Injectable } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import type { EventOrigin } from '@pedigree/database';
import { OriginError, recoverOrigin } from '@pedigree/messaging';
import { PartyDirectory } from '../supply-chain/party-directory.service';
import type { Issue, SourceMessage } from '@pedigree/supply-chain';

/** Refusals that may only mean ingest has not loaded a new member yet (see IngestPipelineService). */
export const UNKNOWN_SIGNER = 'ORIGIN_UNKNOWN_SIGNER';
export const UNKNOWN_PUBLISHER = 'ORIGIN_UNKNOWN_PUBLISHER';

export type Authenticated = {
  publisherOrgId: string;
  captureId?: string;
  errorBehaviour: 'rollback' | 'proceed';
  origin: EventOrigin;
};

/**
 * The publisher of a document, from its signature: a member's registered key, or the API relay vouching for the
 * member whose API key it checked. Headers without a valid signature decide nothing, and a capture job is touched
 * only when the relay's signature names it. The party directory must be fresh (the pipeline refreshes it first).
 */
@Injectable()
export class DocumentAuthenticator {
  private readonly relays: Set<string>;

  constructor(
    config: PedigreeConfig,
    private readonly parties: PartyDirectory,
  ) {
    this.relays = new Set((config.ingestTrustedRelays ?? []).map((address) => address.toLowerCase()));
  }

  authenticate(message: SourceMessage): Authenticated | { issue: Issue; captureId?: string } {
    let origin;
    try {
      origin = recoverOrigin(message.value, message.headers);
    } catch (error) {
      if (!(error instanceof OriginError)) throw error;
      return { issue: { code: error.code, detail: error.message, field: error.field } };
    }
    const signer = origin.signer.toLowerCase();
    const stored: EventOrigin = {
      kind: origin.kind,
      signer,
      signature: origin.signature,
      documentSha256: origin.documentSha256,
    };
    if (origin.kind === 'relay') {
      if (!this.relays.has(signer)) return { issue: unknownSigner(signer, 'relay') };
      if (!this.parties.isActiveMember(origin.publisher)) {
        return {
          // The relay's signature is good and names the job: close it with the reason, or it would run forever.
          captureId: origin.captureId || undefined,
          issue: {
            code: UNKNOWN_PUBLISHER,
            detail: `the relayed publisher ${origin.publisher.slice(0, 40)} is not an active member`,
            field: 'pedigree-publisher-org',
          },
        };
      }
      return {
        publisherOrgId: origin.publisher,
        captureId: origin.captureId || undefined,
        errorBehaviour: origin.errorBehaviour,
        origin: stored,
      };
    }
    const member = this.parties.organisationOfSigner(signer);
    if (!member) return { issue: unknownSigner(signer, 'member') };
    return { publisherOrgId: member, errorBehaviour: origin.errorBehaviour, origin: stored };
  }
}

function unknownSigner(signer: string, kind: 'member' | 'relay'): Issue {
  return {
    code: UNKNOWN_SIGNER,
    detail:
      kind === 'relay'
        ? `the relay signature recovers ${signer}, which is not a trusted relay: forged, or signed over other bytes or claims`
        : `the signature recovers ${signer}, which is no active member's registered key: forged, revoked, or signed over other bytes`,
    field: kind === 'relay' ? 'pedigree-relay-signature' : 'pedigree-signature',
  };
}
