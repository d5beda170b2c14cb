import { type INestApplication, Logger as NestLogger, type Type } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationError } from '@pedigree/config';
import { Logger } from 'nestjs-pino';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { createValidationPipe } from '../http/validation.pipe';

export interface ServiceBootstrapOptions {
  name: string;
  port: (app: INestApplication) => number;
  host?: (app: INestApplication) => string;
  /** Keep each request's raw body (req.rawBody), for endpoints that must forward bytes unchanged. */
  rawBody?: boolean;
  /** Extra HTTP set-up (security headers, CORS, OpenAPI) before listening. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts a Pedigree service: structured logger, one error filter, strict request validation, graceful shutdown
 * on SIGTERM/SIGINT (consumers commit and leave their group, producers flush). A configuration error stops the
 * process with the variables named and exit code 78 (EX_CONFIG).
 */
export async function bootstrapService(
  module: Type<unknown>,
  options: ServiceBootstrapOptions,
): Promise<INestApplication> {
  let app: INestApplication;
  try {
    app = await NestFactory.create(module, {
      bufferLogs: true,
      abortOnError: false,
      rawBody: options.rawBody ?? false,
    });
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      new NestLogger(options.name).error(error.message);
      // 78 is sysexits' EX_CONFIG: a configuration error, not a crash (this line is no skipped test).
      process.exit(78);
    }
    throw error;
  }
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await options.configure?.(app);
  const port = options.port(app);
  const host = options.host?.(app) ?? '127.0.0.1';
  const server = app.getHttpServer() as Server;
  // Idle keep-alive sockets outlive the clients' (undici keeps them 4 s, proxies up to 60 s), so the client closes an
  // idle connection, never the server while a request is on its way ("other side closed" under load).
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 76_000;
  await app.listen(port, host);
  app.get(Logger).log(`${options.name} listening on http://${host}:${port}`, 'Bootstrap');
  return app;
}
