import { PedigreeError } from '@pedigree/common';

export enum AlertsErrorCode {
  NOT_FOUND = 'ALERT_NOT_FOUND',
  INVALID_TRANSITION = 'ALERT_INVALID_TRANSITION',
  BAD_CURSOR = 'ALERT_BAD_CURSOR',
  NOT_A_RESOLVER = 'ALERT_NOT_A_RESOLVER',
}

const STATUS: Record<AlertsErrorCode, number> = {
  ALERT_NOT_FOUND: 404,
  ALERT_INVALID_TRANSITION: 409,
  ALERT_BAD_CURSOR: 400,
  ALERT_NOT_A_RESOLVER: 403,
};

export class AlertsException extends PedigreeError {
  constructor(
    readonly code: AlertsErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, {
      status: STATUS[code],
      field,
    });
  }
}
