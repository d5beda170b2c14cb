import { checkModelCard, type ModelCard, modelCardDigest } from '@pedigree/common';
import { EventAnchor__factory } from '@pedigree/contracts';
import { detectorTrainingSet, type NetworkPresetName } from '@pedigree/ml';
import type { Command } from 'commander';
import { JsonRpcProvider } from 'ethers';
import { callApi, type Problem } from '../api-client';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';

interface ModelAnswer {
  name: string;
  version: string;
  card: ModelCard | null;
  weights: { topology: object; weightSpecs: unknown[]; weightData: string };
  /** Kept with models trained on member data (the demand forecaster's series). */
  trainingSet?: unknown[] | null;
  anchor: { merkleRoot: string; proof: string[]; transactionHash: string | null } | null;
}

interface ModelAuditReport {
  name: string;
  version: string;
  outcome: 'proven' | 'tampered' | 'unanchored';
  rpc: string;
  checks: string[];
}

/**
 * The training set to check against the card: the one stored with the model (the demand forecaster trains on
 * members' dispensing history, which only the stored copy reproduces; the card's anchored hash says whether it is
 * the one trained on), or, with --rebuild-training-set, the anomaly models' set rebuilt from the simulator seed.
 */
function trainingSetOf(answer: ModelAnswer, card: ModelCard, rebuild: boolean): unknown[] | undefined {
  if (answer.trainingSet) return answer.trainingSet;
  return rebuild ? rebuiltTrainingSet(card) : undefined;
}

/** The anomaly models' training set, rebuilt from the simulator seed and scale the card names. */
function rebuiltTrainingSet(card: ModelCard): number[][] | undefined {
  const source = card.trainingSource as {
    simulator?: string;
    seed?: number;
    scale?: string;
    family?: string;
  };
  if (source.simulator !== 'benign-network' || source.seed === undefined || !source.scale || !source.family)
    return undefined;
  const { vectors } = detectorTrainingSet(source.seed, source.scale as NetworkPresetName);
  return vectors[source.family as keyof typeof vectors];
}

export async function auditModel(
  answer: ModelAnswer,
  rpc: string,
  anchorAddress: string,
  rebuild: boolean,
): Promise<ModelAuditReport> {
  const report: ModelAuditReport = {
    name: answer.name,
    version: answer.version,
    outcome: 'tampered',
    rpc,
    checks: [],
  };
  const { card } = answer;
  if (!card) {
    report.checks.push('the model has no card');
    return report;
  }
  const trainingSet = trainingSetOf(answer, card, rebuild);
  const problems = checkModelCard(card, {
    weights: { ...answer.weights, weightData: Buffer.from(answer.weights.weightData, 'base64') },
    ...(trainingSet ? { trainingSet } : {}),
  });
  if (problems.length > 0) {
    report.checks.push(...problems);
    return report;
  }
  report.checks.push(`weights hash recomputed from the stored weights: ${card.weightsHash}`);
  report.checks.push(
    trainingSet
      ? `training set ${answer.trainingSet ? 'stored with the model' : `rebuilt from ${JSON.stringify(card.trainingSource)}`}: ${card.trainingItems} items, hash ${card.trainingSetHash}`
      : 'training set not rebuilt (pass --rebuild-training-set for simulator-trained models)',
  );
  const digest = modelCardDigest(card);
  report.checks.push(`card digest recomputed from the card: ${digest}`);
  if (!answer.anchor) {
    report.outcome = 'unanchored';
    report.checks.push('no anchor of this card (not anchored yet, or the card was edited after anchoring)');
    return report;
  }
  const anchor = EventAnchor__factory.connect(anchorAddress, new JsonRpcProvider(rpc));
  if (!(await anchor.verifyEvent(answer.anchor.merkleRoot, answer.anchor.proof, `0x${digest}`))) {
    report.checks.push(`EventAnchor.verifyEvent refuses the proof to root ${answer.anchor.merkleRoot}`);
    return report;
  }
  const record = await anchor.anchorOf(answer.anchor.merkleRoot);
  report.outcome = 'proven';
  report.checks.push(
    `EventAnchor.verifyEvent: the card's digest is in root ${answer.anchor.merkleRoot}, anchored in block ${record.blockNumber}`,
  );
  return report;
}

/** `pedigree audit model <name> <version>`: a model card checked against its stored weights and the chain. */
export function registerAuditModel(
  audit: Command,
  globals: () => GlobalOptions,
  anchorAddress: (flag: string | undefined) => string,
): void {
  audit
    .command('model')
    .description(
      'check a model card against the stored weights and the chain: exit 0 proven, 1 tampered, 2 unanchored',
    )
    .argument('<name>', 'model name, e.g. anomaly-shipment (see GET /v1/models)')
    .argument('<version>', 'model version')
    .option(
      '--rebuild-training-set',
      'rebuild the training set from the card’s source and check its hash (slow)',
    )
    .addHelpText('after', '\n--rpc <url> (required) and --anchor <address> are those of `pedigree audit`.')
    .action(async (name: string, version: string, own: { rebuildTrainingSet?: boolean }) => {
      const options = globals();
      // `audit` owns --rpc and --anchor (commander hands options the parent knows to the parent).
      const flags = { ...audit.opts<{ rpc?: string; anchor?: string }>(), ...own };
      if (!flags.rpc) throw new CliError("required option '--rpc <url>' not specified", ExitCode.USAGE);
      const response = await callApi<ModelAnswer | Problem>(
        options,
        'GET',
        `/v1/models/${encodeURIComponent(name)}/${encodeURIComponent(version)}`,
      );
      if (response.status !== 200)
        throw new CliError(
          `The API did not give the model: ${(response.body as Problem).detail ?? response.status}`,
          response.status === 404 ? ExitCode.NEGATIVE : ExitCode.NO_PERMISSION,
        );
      const report = await auditModel(
        response.body as ModelAnswer,
        flags.rpc,
        anchorAddress(flags.anchor),
        flags.rebuildTrainingSet === true,
      );
      print(options, report, () =>
        [
          `${report.name} ${report.version}: ${report.outcome.toUpperCase()}`,
          ...report.checks.map((c) => `  - ${c}`),
        ].join('\n'),
      );
      process.exitCode =
        report.outcome === 'proven'
          ? ExitCode.OK
          : report.outcome === 'unanchored'
            ? ExitCode.PENDING
            : ExitCode.NEGATIVE;
    });
}
