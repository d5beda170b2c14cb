import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode, type ModelCard, modelCardDigest } from '@pedigree/common';
import {
  type ModelAnchorRow,
  type ModelAnchorStatus,
  type ModelRow,
  ModelsRepository,
} from './models.repository';

export interface ModelSummary {
  name: string;
  version: string;
  createdAt: string;
  card: ModelCard | null;
  /** The card's digest as the ledger was asked to anchor it, and whether the card stored now still has it. */
  cardDigest: string | null;
  cardMatchesDigest: boolean | null;
  /** Where the card's digest was anchored (null: not yet); the proof comes with the one model. */
  anchor: ModelAnchorStatus | null;
}

export interface ModelAudit extends ModelSummary {
  weights: { topology: object; weightSpecs: unknown[]; weightData: string };
  /** The exact training set, where the model keeps it (the demand forecaster: its series), for the audit. */
  trainingSet: unknown[] | null;
  anchor: ModelAnchorRow | null;
}

/** Model cards for anyone who must trust the alerts and forecasts: what trained them, on what, how well. */
@Injectable()
export class ModelsService {
  constructor(private readonly models: ModelsRepository) {}

  async list(): Promise<ModelSummary[]> {
    const rows = await this.models.list();
    const digests = rows.map(anchoredDigest);
    const anchors = await this.models.anchorsOf(digests.filter((d): d is string => d !== null));
    return rows.map((row, i) => ({ ...summarise(row), anchor: anchors.get(digests[i] ?? '') ?? null }));
  }

  /** A model's card, its stored weights (base64) and the anchor of the card: what `pedigree audit model` checks. */
  async get(name: string, version: string): Promise<ModelAudit> {
    const [row, weights] = await Promise.all([
      this.models.get(name, version),
      this.models.weights(name, version),
    ]);
    if (!row || !weights)
      throw new CommonError(CommonErrorCode.NOT_FOUND, `no model ${name} version ${version}`);
    const digest = anchoredDigest(row);
    return {
      ...summarise(row),
      weights: {
        topology: weights.topology,
        weightSpecs: weights.weightSpecs,
        weightData: weights.weightData.toString('base64'),
      },
      trainingSet: weights.trainingSet,
      anchor: digest ? ((await this.models.anchorOf(digest)) ?? null) : null,
    };
  }
}

/**
 * The anchor of the digest the intelligence service sealed for the ledger, not of the card as stored now: an edited
 * card then fails the audit's proof instead of looking merely unanchored.
 */
function anchoredDigest(row: ModelRow): string | null {
  return row.cardDigest ?? (row.card ? modelCardDigest(row.card) : null);
}

function summarise(m: ModelRow): Omit<ModelSummary, 'anchor'> {
  return {
    name: m.name,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    card: m.card,
    cardDigest: m.cardDigest,
    cardMatchesDigest: m.card && m.cardDigest ? modelCardDigest(m.card) === m.cardDigest : null,
  };
}
