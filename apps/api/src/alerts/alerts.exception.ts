import { PedigreeError } from '@pedigree/common';

export enum AlertsErrorCode {
  NOT_FOUND = 'ALERT_NOT_FOUND',
  INVALID_TRANSITION = 'ALERT_INVALID_TRANSITION',
  BAD_CURSOR = 'ALERT_BAD_CURSOR',
}

export class AlertsException extends PedigreeError {
  constructor(
    readonly code: AlertsErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, {
      status:
        code === AlertsErrorCode.NOT_FOUND ? 404 : code === AlertsErrorCode.INVALID_TRANSITION ? 409 : 400,
      field,
    });
  }
}
