import { PedigreeError, type PedigreeErrorOptions } from './pedigree.error';

export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  CONFLICT = 'CONFLICT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The answer cannot be given in the format the client asked for (`Accept`). */
  NOT_ACCEPTABLE = 'NOT_ACCEPTABLE',
  RATE_LIMITED = 'RATE_LIMITED',
  DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

const STATUS: Record<CommonErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  NOT_ACCEPTABLE: 406,
  RATE_LIMITED: 429,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Errors that belong to no single context: request validation, auth, missing resources, outages. */
export class CommonError extends PedigreeError {
  constructor(
    readonly code: CommonErrorCode,
    message: string,
    options: PedigreeErrorOptions = {},
  ) {
    super(message, {
      status: STATUS[code],
      retriable: code === CommonErrorCode.DEPENDENCY_UNAVAILABLE || code === CommonErrorCode.RATE_LIMITED,
      ...options,
    });
  }
}
