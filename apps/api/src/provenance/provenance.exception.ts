import { PedigreeError } from '@pedigree/common';

export enum ProvenanceErrorCode {
  UNKNOWN_PACK = 'PROVENANCE_UNKNOWN_PACK',
  NOT_A_PARTY = 'PROVENANCE_NOT_A_PARTY',
}

export class ProvenanceException extends PedigreeError {
  constructor(
    readonly code: ProvenanceErrorCode,
    message: string,
  ) {
    super(message, { status: code === ProvenanceErrorCode.UNKNOWN_PACK ? 404 : 403, field: 'epc' });
  }
}
