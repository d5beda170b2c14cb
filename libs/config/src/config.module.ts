import { type DynamicModule, Global, Module } from '@nestjs/common';
import { loadConfig } from './load-config';
import { type PedigreeApp, PedigreeConfig } from './pedigree-config';

/**
 * Provides the validated `PedigreeConfig` to a whole app. `forApp` validates before any other provider is built,
 * so a bad variable stops the process before any connection is opened.
 */
@Global()
@Module({})
export class ConfigModule {
  static forApp(app: PedigreeApp, override?: PedigreeConfig): DynamicModule {
    return {
      module: ConfigModule,
      // A factory, so that validation runs inside NestFactory.create where bootstrap reports it cleanly.
      providers: [{ provide: PedigreeConfig, useFactory: () => override ?? loadConfig(app) }],
      exports: [PedigreeConfig],
    };
  }
}
