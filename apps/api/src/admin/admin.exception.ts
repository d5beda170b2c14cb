import { PedigreeError } from '@pedigree/common';

export enum AdminErrorCode {
  ORGANISATION_NOT_FOUND = 'ADMIN_ORGANISATION_NOT_FOUND',
  ORGANISATION_EXISTS = 'ADMIN_ORGANISATION_EXISTS',
  IDENTIFIER_TAKEN = 'ADMIN_IDENTIFIER_TAKEN',
  INVALID_GLN = 'ADMIN_INVALID_GLN',
  API_KEY_NOT_FOUND = 'ADMIN_API_KEY_NOT_FOUND',
  ORGANISATION_INACTIVE = 'ADMIN_ORGANISATION_INACTIVE',
}

const STATUS: Record<AdminErrorCode, number> = {
  ADMIN_ORGANISATION_NOT_FOUND: 404,
  ADMIN_ORGANISATION_EXISTS: 409,
  ADMIN_IDENTIFIER_TAKEN: 409,
  ADMIN_INVALID_GLN: 400,
  ADMIN_API_KEY_NOT_FOUND: 404,
  ADMIN_ORGANISATION_INACTIVE: 409,
};

export class AdminException extends PedigreeError {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, { status: STATUS[code], field });
  }
}
