import 'reflect-metadata';
import { bootstrapService, runInWorkers } from '@pedigree/common';
import { loadConfig, PedigreeConfig } from '@pedigree/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { setUpOpenApi } from './openapi';
import { serveSharedFailedAttempts } from './auth/failed-attempt.limiter';
import { serveSharedRateLimits } from './rate-limit/sliding-window.storage';

/** API_WORKERS, or 1 when the configuration is invalid (the service then starts only to report what is wrong). */
function workers(): number {
  try {
    return loadConfig('api').apiWorkers;
  } catch {
    return 1;
  }
}

const start = () =>
  bootstrapService(AppModule, {
    name: 'api',
    port: (app) => app.get(PedigreeConfig).apiPort,
    host: (app) => app.get(PedigreeConfig).apiHost,
    rawBody: true,
    configure: (app) => {
      const config = app.get(PedigreeConfig);
      // Express hashes every response body for an ETag by default. The API's answers are dated (checkedAt), so a
      // client never gets a 304 from one: the hash was CPU spent on every verification for nothing. The dashboard's
      // static files keep their own ETags (serve-static).
      (app as NestExpressApplication).set('etag', false);
      // EPCIS documents arrive as application/ld+json; the raw bytes are kept (req.rawBody) to queue them unchanged.
      (app as NestExpressApplication).useBodyParser('json', {
        limit: config.ingestMaxDocumentBytes,
        type: ['application/json', 'application/ld+json', 'application/*+json'],
      });
      // EPCIS XML (2.0 and 1.2) arrives as bytes: ingest reads it with the same streaming reader as Kafka producers.
      (app as NestExpressApplication).useBodyParser('raw', {
        limit: config.ingestMaxDocumentBytes,
        type: ['application/xml', 'text/xml', 'application/*+xml'],
      });
      app.use(
        helmet({
          // Swagger UI and the dashboard use inline styles; scripts stay same-origin.
          contentSecurityPolicy: {
            directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
          },
        }),
      );
      app.enableCors({
        origin: config.apiCorsOrigins.length > 0 ? config.apiCorsOrigins : false,
        credentials: false,
      });
      if (config.apiDocsEnabled) setUpOpenApi(app);
    },
  });

/** What must be one for all workers, held by the primary. */
function primary(): void {
  serveSharedRateLimits();
  serveSharedFailedAttempts();
}

void runInWorkers({ name: 'api', workers: workers(), primary, start });
