// The DataSource the TypeORM CLI uses (`npm run db:generate-migration`); services build theirs from config.
import { loadConfig } from '@pedigree/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';

export default new DataSource(dataSourceOptions(loadConfig('tool')));
