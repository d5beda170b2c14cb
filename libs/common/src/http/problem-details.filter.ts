import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isInfrastructureFailure, isPedigreeError } from '../errors/pedigree.error';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemTitle, problemType } from './problem-details';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
  limit?: number;
}

/**
 * The one place that turns errors into HTTP answers (ghostfolio keeps a single filter too). Domain errors keep
 * their code and field; Nest and body-parser errors get codes of their own; anything else is a 500 whose
 * details stay in the log, never in the response.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl?.split('?')[0];
    if (problem.code === 'DEPENDENCY_UNAVAILABLE') {
      this.logger.warn(`request failed: a dependency is unavailable (${(exception as Error).message})`);
    } else if (problem.status >= 500) {
      this.logger.error(
        { err: exception, code: problem.code, path: problem.instance },
        `request failed: ${problem.detail}`,
      );
    }
    if (response.headersSent) return;
    if ((problem.status === 429 || problem.status === 503) && typeof problem.retryAfterSeconds === 'number') {
      response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): ProblemDetails {
    if (isPedigreeError(exception)) {
      return {
        type: problemType(exception.code),
        title: problemTitle(exception.status),
        status: exception.status,
        detail: exception.message,
        code: exception.code,
        retriable: exception.retriable,
        ...(exception.field === undefined ? {} : { field: exception.field }),
        ...(exception.extensions ?? {}),
      };
    }
    const parser = exception as BodyParserError;
    if (parser && typeof parser.type === 'string' && typeof parser.status === 'number' && parser.expose) {
      return this.fromBodyParser(parser);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest turns body-parser's SyntaxError into a bare BadRequestException; give it a code of its own.
      if (
        status === 400 &&
        /JSON|Unexpected (token|end|non-whitespace)|Expected .* after/i.test(exception.message)
      ) {
        return this.fromBodyParser({ type: 'entity.parse.failed', status: 400, message: exception.message });
      }
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message)
        ? message.map(String).join('; ')
        : typeof message === 'string'
          ? message
          : exception.message;
      const code = status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : `HTTP_${status}`;
      return {
        type: problemType(code),
        title: problemTitle(status),
        status,
        detail,
        code,
        retriable: status === 429 || status === 503,
      };
    }
    // A database or broker that is down or restarting: say so, and that retrying shortly will work.
    if (isInfrastructureFailure(exception)) {
      return {
        type: problemType('DEPENDENCY_UNAVAILABLE'),
        title: problemTitle(503),
        status: 503,
        detail: 'A service this request depends on is unavailable right now; retry shortly.',
        code: 'DEPENDENCY_UNAVAILABLE',
        retriable: true,
        retryAfterSeconds: 5,
      };
    }
    return {
      type: problemType('INTERNAL'),
      title: problemTitle(500),
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
      code: 'INTERNAL',
      retriable: true,
    };
  }

  private fromBodyParser(error: BodyParserError): ProblemDetails {
    const status = error.status ?? 400;
    switch (error.type ?? '') {
      case 'entity.parse.failed':
        return {
          type: problemType('MALFORMED_JSON'),
          title: problemTitle(400),
          status: 400,
          detail: `The request body is not valid JSON: ${error.message ?? 'parse error'}`,
          code: 'MALFORMED_JSON',
          retriable: false,
          field: 'body',
        };
      case 'entity.too.large':
        return {
          type: problemType('PAYLOAD_TOO_LARGE'),
          title: problemTitle(413),
          status: 413,
          detail: `The request body exceeds the limit of ${error.limit ?? '?'} bytes.`,
          code: 'PAYLOAD_TOO_LARGE',
          retriable: false,
          field: 'body',
        };
      default:
        return {
          type: problemType('BAD_REQUEST_BODY'),
          title: problemTitle(status),
          status,
          detail: error.message ?? 'The request body could not be read.',
          code: 'BAD_REQUEST_BODY',
          retriable: false,
          field: 'body',
        };
    }
  }
}
