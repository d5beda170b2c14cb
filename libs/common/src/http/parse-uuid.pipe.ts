import { ParseUUIDPipe } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '../errors/common.error';

/** A UUID path parameter, rejected with a problem document naming the parameter. */
export function uuidParam(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new CommonError(CommonErrorCode.VALIDATION_FAILED, `${field} must be a UUID`, { field }),
  });
}
