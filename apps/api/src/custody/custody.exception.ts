import { PedigreeError } from '@pedigree/common';

export enum CustodyErrorCode {
  NOT_A_MEMBER = 'CUSTODY_NOT_A_MEMBER',
  KEY_PROOF_INVALID = 'CUSTODY_KEY_PROOF_INVALID',
  KEY_IN_USE = 'CUSTODY_KEY_IN_USE',
  REQUEST_NOT_FOUND = 'CUSTODY_REQUEST_NOT_FOUND',
  REQUEST_SETTLED = 'CUSTODY_REQUEST_SETTLED',
  SIGNATURE_INVALID = 'CUSTODY_SIGNATURE_INVALID',
  CHAIN_UNAVAILABLE = 'CUSTODY_CHAIN_UNAVAILABLE',
}

const STATUS: Record<CustodyErrorCode, number> = {
  CUSTODY_NOT_A_MEMBER: 403,
  CUSTODY_KEY_PROOF_INVALID: 400,
  CUSTODY_KEY_IN_USE: 409,
  CUSTODY_REQUEST_NOT_FOUND: 404,
  CUSTODY_REQUEST_SETTLED: 409,
  CUSTODY_SIGNATURE_INVALID: 400,
  CUSTODY_CHAIN_UNAVAILABLE: 503,
};

export class CustodyException extends PedigreeError {
  constructor(
    readonly code: CustodyErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, {
      status: STATUS[code],
      field,
      retriable: code === CustodyErrorCode.CHAIN_UNAVAILABLE,
    });
  }
}
