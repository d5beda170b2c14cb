import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PedigreeConfig } from '@pedigree/config';
import { dataSourceOptions } from './data-source.options';

/** The TypeORM connection for an app, from the validated configuration. */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PedigreeConfig],
          useFactory: (config: PedigreeConfig) => ({
            ...dataSourceOptions(config),
            // Boot fails fast instead of retrying forever against a database that is not there.
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
    };
  }
}
