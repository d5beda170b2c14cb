import { PedigreeError } from '@pedigree/common';

export enum CaptureErrorCode {
  NOT_JSON = 'CAPTURE_NOT_JSON',
  NOT_A_DOCUMENT = 'CAPTURE_NOT_AN_EPCIS_DOCUMENT',
  TOO_MANY_EVENTS = 'CAPTURE_LIMIT_EXCEEDED',
  TOO_LARGE = 'CAPTURE_TOO_LARGE',
  BAD_ERROR_BEHAVIOUR = 'CAPTURE_BAD_ERROR_BEHAVIOUR',
  JOB_NOT_FOUND = 'CAPTURE_JOB_NOT_FOUND',
  UNSUPPORTED_MEDIA_TYPE = 'CAPTURE_UNSUPPORTED_MEDIA_TYPE',
  NO_ORGANISATION = 'CAPTURE_NO_ORGANISATION',
}

const STATUS: Record<CaptureErrorCode, number> = {
  CAPTURE_NOT_JSON: 400,
  CAPTURE_NOT_AN_EPCIS_DOCUMENT: 400,
  CAPTURE_LIMIT_EXCEEDED: 413,
  CAPTURE_TOO_LARGE: 413,
  CAPTURE_BAD_ERROR_BEHAVIOUR: 400,
  CAPTURE_JOB_NOT_FOUND: 404,
  CAPTURE_UNSUPPORTED_MEDIA_TYPE: 415,
  CAPTURE_NO_ORGANISATION: 403,
};

export class CaptureException extends PedigreeError {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, { status: STATUS[code], field });
  }
}
