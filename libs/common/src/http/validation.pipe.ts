import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '../errors/common.error';

/** Flattens nested class-validator errors to the first offending property path and its constraint. */
function firstViolation(
  errors: ValidationError[],
  parent = '',
): { field: string; message: string } | undefined {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const message = Object.values(error.constraints)[0];
      if (message) return { field, message };
    }
    const nested = firstViolation(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Request DTO validation: unknown properties are rejected (not silently dropped), values are transformed to
 * their declared types, and the first violation becomes a problem document naming the field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const violation = firstViolation(errors) ?? { field: 'body', message: 'invalid request' };
      return new CommonError(CommonErrorCode.VALIDATION_FAILED, violation.message, {
        field: violation.field,
      });
    },
  });
}
