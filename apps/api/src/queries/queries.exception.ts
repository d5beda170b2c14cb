import { PedigreeError } from '@pedigree/common';

export enum QueriesErrorCode {
  QUERY_NOT_FOUND = 'QUERY_NOT_FOUND',
  QUERY_EXISTS = 'QUERY_EXISTS',
  SUBSCRIPTION_NOT_FOUND = 'SUBSCRIPTION_NOT_FOUND',
  /** A webhook destination the server will not call (SSRF protection, credentials in the URL). */
  DESTINATION_REFUSED = 'SUBSCRIPTION_DESTINATION_REFUSED',
  SCHEDULE_INVALID = 'SUBSCRIPTION_SCHEDULE_INVALID',
  NO_ORGANISATION = 'QUERY_NO_ORGANISATION',
}

const STATUS: Record<QueriesErrorCode, number> = {
  QUERY_NOT_FOUND: 404,
  QUERY_EXISTS: 409,
  SUBSCRIPTION_NOT_FOUND: 404,
  SUBSCRIPTION_DESTINATION_REFUSED: 400,
  SUBSCRIPTION_SCHEDULE_INVALID: 400,
  QUERY_NO_ORGANISATION: 403,
};

export class QueriesException extends PedigreeError {
  constructor(
    readonly code: QueriesErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, { status: STATUS[code], field });
  }
}
