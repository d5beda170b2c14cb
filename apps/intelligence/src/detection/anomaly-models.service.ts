import { Injectable, Logger } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import {
  AutoencoderScorer,
  type FeatureFamily,
  type ModelArtifact,
  trainDetectorScorers,
} from '@pedigree/ml';
import { codeVersion, type ModelCard, type StoredWeights, weightsHash } from '@pedigree/common';
import { MlModelsRepository } from '../models/ml-models.repository';

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
  /** Name → version of the models in use, named on every alert (their cards: GET /v1/models). */
  readonly versions: Record<string, string> = {};

  constructor(
    private readonly config: PedigreeConfig,
    private readonly models: MlModelsRepository,
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
      const weights: StoredWeights = {
        topology: artifact.topology,
        weightSpecs: artifact.weightSpecs,
        weightData: Buffer.isBuffer(artifact.weightData)
          ? artifact.weightData
          : Buffer.from(artifact.weightData, 'base64'),
      };
      const card: ModelCard = {
        v: 1,
        name: MODEL_NAME[family],
        version,
        weightsHash: weightsHash(weights),
        ...trained.training[family],
        trainingSource: { ...trained.trainingSource, family },
        codeVersion: codeVersion(),
        metrics: artifact.metadata.metrics,
        trainedAt: artifact.metadata.trainedAt,
      };
      this.versions[card.name] = version;
      await this.models.save(card, weights, {
        ...artifact.metadata,
        trainingVectors: trained.vectors[family],
        format: artifact.format,
      });
    }
    this.logger.log(
      `anomaly models trained in ${trained.trainingSeconds.toFixed(1)} s ` +
        `(${trained.vectors.shipment} shipment and ${trained.vectors.pharmacy_week} pharmacy-week vectors); ` +
        'their cards go to the ledger for anchoring',
    );
    return trained.scorers;
  }

  private async loadSaved(): Promise<Record<FeatureFamily, AutoencoderScorer> | undefined> {
    const out: Partial<Record<FeatureFamily, AutoencoderScorer>> = {};
    for (const family of ['shipment', 'pharmacy_week'] as const) {
      const saved = await this.models.latest(MODEL_NAME[family]);
      if (!saved) return undefined;
      const { format, ...metadata } = saved.metadata as Artifact['metadata'] & { format: Artifact['format'] };
      const artifact: ModelArtifact<Artifact['metadata']> = {
        format,
        topology: saved.weights.topology,
        weightSpecs: saved.weights.weightSpecs as Artifact['weightSpecs'],
        weightData: saved.weights.weightData,
        metadata: metadata as Artifact['metadata'],
      };
      out[family] = await AutoencoderScorer.load(artifact);
      this.versions[MODEL_NAME[family]] = saved.version;
    }
    this.logger.log('loaded the saved anomaly models');
    return out as Record<FeatureFamily, AutoencoderScorer>;
  }
}
