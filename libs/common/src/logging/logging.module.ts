import { type DynamicModule, Module } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { LoggerModule } from 'nestjs-pino';

/** Paths scrubbed from every log line: credentials must never reach a log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.secret',
  '*.mnemonic',
  '*.privateKey',
  '*.token',
];

/** Structured JSON logs (pino) for a service, with the Nest context of each line. */
@Module({})
export class LoggingModule {
  static forApp(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [PedigreeConfig],
          useFactory: (config: PedigreeConfig) => ({
            pinoHttp: {
              level: config.logLevel,
              base: { service },
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              // Health and metrics probes every few seconds would drown the useful lines.
              autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
              customProps: () => ({ service }),
              serializers: {
                req: (req: { method: string; url: string; id: unknown }) => ({
                  id: req.id,
                  method: req.method,
                  // Any credential-like query parameter (key, token, ticket, secret, password) is cut from the log line.
                  url: req.url?.replace(
                    /([?&][^=&]*(key|token|ticket|secret|password)=)[^&]*/gi,
                    '$1[redacted]',
                  ),
                }),
              },
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
