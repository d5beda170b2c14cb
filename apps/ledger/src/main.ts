import 'reflect-metadata';
import { bootstrapService } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { LedgerModule } from './ledger.module';

void bootstrapService(LedgerModule, {
  name: 'ledger',
  port: (app) => app.get(PedigreeConfig).ledgerPort,
  host: (app) => app.get(PedigreeConfig).serviceHost,
});
