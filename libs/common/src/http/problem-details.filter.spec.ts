import { BadRequestException, NotFoundException } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '../errors/common.error';
import { ProblemDetailsFilter } from './problem-details.filter';

describe('ProblemDetailsFilter', () => {
  const filter = new ProblemDetailsFilter();

  it('keeps the code, status, field and retriable flag of domain errors', () => {
    const problem = filter.toProblem(
      new CommonError(CommonErrorCode.VALIDATION_FAILED, 'gtin must be 14 digits', { field: 'gtin' }),
    );
    expect(problem).toMatchObject({
      type: 'https://pedigree.dev/problems/validation-failed',
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'gtin',
      retriable: false,
      detail: 'gtin must be 14 digits',
    });
  });

  it('names malformed JSON bodies and oversized bodies', () => {
    expect(filter.toProblem(new BadRequestException('Unexpected end of JSON input'))).toMatchObject({
      code: 'MALFORMED_JSON',
      field: 'body',
    });
    expect(
      filter.toProblem({ type: 'entity.too.large', status: 413, expose: true, limit: 1024 }),
    ).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
    });
  });

  it('answers unknown errors with a generic 500 that reveals nothing', () => {
    const problem = filter.toProblem(new Error('password=hunter2 at db.internal:5432'));
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(filter.toProblem(new NotFoundException('Cannot GET /nope'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('answers a database or broker outage with a retriable 503, not a 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(filter.toProblem(refused)).toMatchObject({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      retriable: true,
    });
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(filter.toProblem(terminated)).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(JSON.stringify(filter.toProblem(refused))).not.toContain('5432');
  });
});
