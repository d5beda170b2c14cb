import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PedigreeConfig } from '@pedigree/config';
import {
  AutoencoderScorer,
  type FeatureFamily,
  type ModelArtifact,
  trainDetectorScorers,
} from '@pedigree/ml';
import { DataSource } from 'typeorm';

type Artifact = Awaited<ReturnType<AutoencoderScorer['save']>>;

const MODEL_NAME: Record<FeatureFamily, string> = {
  shipment: 'anomaly-shipment',
  pharmacy_week: 'anomaly-pharmacy-week',
};

/**
 * The learned scorers: the newest saved models, or, on a fresh system, models trained on a benign simulated history
 * (seeded, so every fresh system starts from the same models) and saved with their metadata.
 */
@Injectable()
export class AnomalyModelsService {
  private readonly logger = new Logger(AnomalyModelsService.name);

  constructor(
    private readonly config: PedigreeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async scorers(): Promise<Record<FeatureFamily, AutoencoderScorer>> {
    const loaded = await this.loadSaved();
    if (loaded) return loaded;
    this.logger.log(
      `no anomaly models yet: training on a simulated benign history (${this.config.anomalyTrainingScale})`,
    );
    const trained = await trainDetectorScorers({ seed: 2026, scale: this.config.anomalyTrainingScale });
    const version = new Date().toISOString();
    for (const family of ['shipment', 'pharmacy_week'] as const) {
      const artifact = await trained.scorers[family].save();
      await this.dataSource.query(
        `INSERT INTO ml_models (name, version, metadata, topology, weight_specs, weight_data) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name, version) DO NOTHING`,
        [
          MODEL_NAME[family],
          version,
          JSON.stringify({
            ...artifact.metadata,
            trainingVectors: trained.vectors[family],
            format: artifact.format,
          }),
          JSON.stringify(artifact.topology),
          JSON.stringify(artifact.weightSpecs),
          Buffer.isBuffer(artifact.weightData)
            ? artifact.weightData
            : Buffer.from(artifact.weightData, 'base64'),
        ],
      );
    }
    this.logger.log(
      `anomaly models trained in ${trained.trainingSeconds.toFixed(1)} s ` +
        `(${trained.vectors.shipment} shipment and ${trained.vectors.pharmacy_week} pharmacy-week vectors)`,
    );
    return trained.scorers;
  }

  private async loadSaved(): Promise<Record<FeatureFamily, AutoencoderScorer> | undefined> {
    const out: Partial<Record<FeatureFamily, AutoencoderScorer>> = {};
    for (const family of ['shipment', 'pharmacy_week'] as const) {
      const rows: {
        metadata: Artifact['metadata'] & { format: Artifact['format'] };
        topology: object;
        weight_specs: Artifact['weightSpecs'];
        weight_data: Buffer;
      }[] = await this.dataSource.query(
        `SELECT metadata, topology, weight_specs, weight_data FROM ml_models WHERE name = $1 ORDER BY created_at DESC LIMIT 1`,
        [MODEL_NAME[family]],
      );
      const row = rows[0];
      if (!row) return undefined;
      const { format, ...metadata } = row.metadata;
      const artifact: ModelArtifact<Artifact['metadata']> = {
        format,
        topology: row.topology,
        weightSpecs: row.weight_specs,
        weightData: row.weight_data,
        metadata: metadata as Artifact['metadata'],
      };
      out[family] = await AutoencoderScorer.load(artifact);
    }
    this.logger.log('loaded the saved anomaly models');
    return out as Record<FeatureFamily, AutoencoderScorer>;
  }
}
