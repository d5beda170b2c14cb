import { loadConfig, type PedigreeConfig } from '@pedigree/config';
import { createKafka, signDocument, Topics, TypedProducer } from '@pedigree/messaging';
import { Wallet } from 'ethers';
import {
  CONSORTIUM_ROLE,
  NETWORK_PRESETS,
  type NetworkConfig,
  parsePatternRates,
  PATTERN_KINDS,
  type PatternKind,
  scenarioMessages,
  simulateNetwork,
  writeScenario,
} from '@pedigree/ml';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { callApi } from '../api-client';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';

interface SimulateFlags {
  preset: string;
  seed: string;
  weeks?: string;
  start?: string;
  until?: string;
  inject?: string;
  out?: string;
  toKafka: boolean;
  speedup?: string;
  adminToken?: string;
}

/** The `--inject` flag: incidents per simulated week by pattern (see `parsePatternRates`). */
export function parseInjections(text: string | undefined): Partial<Record<PatternKind, number>> {
  try {
    return parsePatternRates(text);
  } catch (error) {
    throw new CliError(`--inject: ${(error as Error).message}`, ExitCode.USAGE);
  }
}

export function registerSimulate(
  program: Command,
  globals: () => GlobalOptions,
  config: PedigreeConfig,
): void {
  program
    .command('simulate')
    .description(
      'simulate a pharmaceutical supply network: EPCIS documents, ground-truth labels and demand, to files or into Kafka',
    )
    .option('--preset <name>', `network size: ${Object.keys(NETWORK_PRESETS).join(', ')}`, 'tiny')
    .option('--seed <n>', 'seed (the same seed gives byte-identical documents)', '1')
    .option('--weeks <n>', 'simulated weeks')
    .option(
      '--start <date>',
      'first simulated day (YYYY-MM-DD, moved back to its Monday; the preset’s otherwise)',
    )
    .option(
      '--inject <patterns>',
      `counterfeit incidents to inject per simulated week, e.g. cloned_serial=0.5,grey_market_spike=0.1 (${PATTERN_KINDS.join(', ')}; a preset's own rates otherwise)`,
    )
    .option(
      '--until <date>',
      'with --to-kafka: send only what the network had sent before this date, YYYY-MM-DD (the rest of the scenario is its future: --out still writes all of it, ground truth and demand included)',
    )
    .option('--out <dir>', 'write documents/*.jsonld, labels.json, organisations.json and demand.csv there')
    .option(
      '--to-kafka',
      'stream the documents into epcis.events.v1 (registers the simulated members through the admin API)',
      false,
    )
    .option(
      '--speedup <x>',
      'with --to-kafka: replay in scenario time divided by x (default: as fast as possible)',
    )
    // Help prints defaults: a secret's is described, never shown.
    .addOption(
      new Option(
        '--admin-token <token>',
        'with --to-kafka: the consortium admin token (env PEDIGREE_ADMIN_TOKEN)',
      ).default(config.adminToken, 'from PEDIGREE_ADMIN_TOKEN'),
    )
    .addHelpText(
      'after',
      `
Examples:
  pedigree simulate --preset tiny --seed 7 --out ./scenario
  pedigree simulate --preset demo --inject cloned_serial=0.2,diversion=0.1 --to-kafka --admin-token "$(cat .pedigree/demo-admin-token)"`,
    )
    .action(async (flags: SimulateFlags) => {
      const options = globals();
      if (!flags.out && !flags.toKafka)
        throw new CliError(
          'Nowhere to put the scenario.',
          ExitCode.USAGE,
          'Add --out DIR, --to-kafka, or both.',
        );
      const preset = NETWORK_PRESETS[flags.preset as keyof typeof NETWORK_PRESETS];
      if (!preset)
        throw new CliError(
          `--preset must be one of ${Object.keys(NETWORK_PRESETS).join(', ')}`,
          ExitCode.USAGE,
        );
      const seed = Number(flags.seed);
      if (!Number.isInteger(seed)) throw new CliError('--seed must be an integer', ExitCode.USAGE);
      const config: NetworkConfig = {
        ...preset,
        ...(flags.weeks ? { weeks: Number(flags.weeks) } : {}),
        ...(flags.start ? { start: flags.start } : {}),
        patterns: { ...preset.patterns, ...parseInjections(flags.inject) },
      };
      if (!Number.isInteger(config.weeks) || config.weeks < 2)
        throw new CliError('--weeks must be an integer ≥ 2', ExitCode.USAGE);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(config.start) || Number.isNaN(Date.parse(config.start)))
        throw new CliError(`--start must be a date as YYYY-MM-DD, not ${config.start}`, ExitCode.USAGE);
      if (flags.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.until))
        throw new CliError(`--until must be a date as YYYY-MM-DD, not ${flags.until}`, ExitCode.USAGE);
      const scenario = simulateNetwork(config, seed);
      const summary: Record<string, unknown> = { seed, preset: flags.preset, ...scenario.summary };
      if (flags.out) summary.written = writeScenario(scenario, flags.out);
      const until = flags.until ? Date.parse(`${flags.until}T00:00:00Z`) : Infinity;
      const sent = { ...scenario, messages: scenario.messages.filter((m) => Date.parse(m.sentAt) < until) };
      if (flags.toKafka) summary.streamed = await streamToKafka(options, flags, sent);
      print(options, summary, () =>
        [
          `Simulated ${scenario.summary.documents} documents (${scenario.summary.events} events) for ${scenario.master.organisations.length} organisations, seed ${seed}.`,
          ...(flags.out ? [`Written to ${flags.out} (labels.json holds the ground truth).`] : []),
          ...(flags.toKafka ? [`Streamed ${sent.messages.length} documents into Kafka.`] : []),
        ].join('\n'),
      );
    });
}

async function streamToKafka(
  options: GlobalOptions,
  flags: SimulateFlags,
  scenario: ReturnType<typeof simulateNetwork>,
): Promise<number> {
  if (!flags.adminToken) {
    throw new CliError(
      'Streaming into Kafka registers the simulated members: it needs the admin token.',
      ExitCode.CONFIG,
      'Pass --admin-token or set PEDIGREE_ADMIN_TOKEN.',
    );
  }
  const admin = { api: options.api, key: flags.adminToken };
  const existing = (
    await callApi<{ id: string; name: string; companyPrefixes: string[] }[]>(
      admin,
      'GET',
      '/v1/admin/organisations',
    )
  ).body;
  const ids = new Map<string, string>();
  // Each simulated member signs its own documents with a key made here; the registry learns only the address.
  const signers = new Map<string, Wallet>();
  // Simulated pharmacies in two regions can share a name; the registry wants unique names.
  const named = new Map<string, number>();
  for (const org of scenario.master.organisations) named.set(org.name, (named.get(org.name) ?? 0) + 1);
  for (const org of scenario.master.organisations) {
    // A member is the owner of its company prefix; a name another member already uses gets the prefix added.
    const unique = named.get(org.name)! > 1 ? `${org.name} (${org.region})` : org.name;
    let found = existing.find((e) => e.companyPrefixes.includes(org.companyPrefix));
    const name =
      found || !existing.some((e) => e.name === unique) ? unique : `${unique} (${org.companyPrefix})`;
    const signer = Wallet.createRandom();
    signers.set(org.id, new Wallet(signer.privateKey));
    if (found) {
      await callApi(admin, 'POST', `/v1/admin/organisations/${found.id}/signing-addresses`, {
        signingAddress: signer.address,
      });
    } else {
      const created = await callApi<{ id: string; detail?: string }>(
        admin,
        'POST',
        '/v1/admin/organisations',
        {
          name,
          role: CONSORTIUM_ROLE[org.role],
          companyPrefixes: [org.companyPrefix],
          glns: org.glns,
          region: org.region,
          latitude: org.lat,
          longitude: org.lon,
          signingAddress: signer.address,
        },
      );
      if (created.status !== 201)
        throw new CliError(
          `Registering ${name} failed: ${created.body.detail ?? created.status}`,
          ExitCode.UNAVAILABLE,
        );
      found = { id: created.body.id, name, companyPrefixes: [org.companyPrefix] };
    }
    ids.set(org.id, found.id);
  }
  const config = loadConfig('cli');
  const producer = new TypedProducer(createKafka(config, 'cli-simulate'), config);
  const bar =
    !options.json && process.stderr.isTTY
      ? new SingleBar({ format: 'streaming [{bar}] {value}/{total} documents', stream: process.stderr })
      : undefined;
  bar?.start(scenario.messages.length, 0);
  let sent = 0;
  try {
    const speedup = flags.speedup ? Number(flags.speedup) : undefined;
    for await (const record of scenarioMessages(scenario, speedup ? { speedup } : {})) {
      const signer = signers.get(record.message.publisherOrgId);
      const value = Buffer.from(record.value);
      await producer.send(Topics.epcisEvents, [
        { key: record.key, value, headers: signer ? await signDocument(signer, value) : {} },
      ]);
      bar?.increment();
      sent++;
    }
  } catch (error) {
    throw new CliError(
      `Kafka refused the documents: ${(error as Error).message}`,
      ExitCode.UNAVAILABLE,
      'Check KAFKA_BROKERS and that the broker runs.',
    );
  } finally {
    bar?.stop();
    await producer.disconnect();
  }
  return sent;
}
