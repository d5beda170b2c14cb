import { PedigreeError } from '@pedigree/common';

export enum AuthErrorCode {
  MISSING_CREDENTIALS = 'AUTH_MISSING_CREDENTIALS',
  INVALID_CREDENTIALS = 'AUTH_INVALID_CREDENTIALS',
  ROLE_NOT_ALLOWED = 'AUTH_ROLE_NOT_ALLOWED',
  NOT_YOUR_ORGANISATION = 'AUTH_NOT_YOUR_ORGANISATION',
}

export class AuthException extends PedigreeError {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, {
      status: code.startsWith('AUTH_MISSING') || code === AuthErrorCode.INVALID_CREDENTIALS ? 401 : 403,
      field,
    });
  }
}
