import 'reflect-metadata';
import { bootstrapService } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { IntelligenceModule } from './intelligence.module';

void bootstrapService(IntelligenceModule, {
  name: 'intelligence',
  port: (app) => app.get(PedigreeConfig).intelligencePort,
  host: (app) => app.get(PedigreeConfig).serviceHost,
});
