import 'reflect-metadata';
import { bootstrapService } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { IngestModule } from './ingest.module';

void bootstrapService(IngestModule, {
  name: 'ingest',
  port: (app) => app.get(PedigreeConfig).ingestPort,
  host: (app) => app.get(PedigreeConfig).serviceHost,
});
