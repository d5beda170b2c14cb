/**
 * Ways out of a simulated scenario: files for inspection and replay (`writeScenario`), and an async stream of
 * Kafka-ready records the lead can publish to `epcis.events.v1` (`scenarioMessages`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulatedMessage, SimulatedScenario } from './network.types';

/** Header names as `Headers` in @pedigree/messaging spells them. */
const PUBLISHER_ORG_HEADER = 'pedigree-publisher-org';
const REQUEST_ID_HEADER = 'pedigree-request-id';

export interface WrittenScenario {
  dir: string;
  documents: number;
  files: string[];
}

/**
 * Writes `documents/<seq>-<publisher>.jsonld` (one EPCIS document per file, in send order), `messages.json`
 * (key, publisher, send time, noise of each), `labels.json`, `organisations.json`, `scans.json`, `summary.json`
 * and `demand.csv` (`series_id,date,value`, weekly dispensed units per GTIN × pharmacy and GTIN × region, for
 * the forecasting backtest). Output is byte-identical for the same scenario.
 */
export function writeScenario(scenario: SimulatedScenario, dir: string): WrittenScenario {
  const documentsDir = join(dir, 'documents');
  mkdirSync(documentsDir, { recursive: true });
  const width = String(Math.max(1, scenario.messages.length - 1)).length;
  for (const message of scenario.messages) {
    writeFileSync(
      join(documentsDir, documentFileName(message, width)),
      `${JSON.stringify(message.document, null, 2)}\n`,
    );
  }
  const json = (name: string, value: unknown) =>
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  json(
    'messages.json',
    scenario.messages.map((m) => ({
      seq: m.seq,
      file: `documents/${documentFileName(m, width)}`,
      documentId: m.documentId,
      key: m.key,
      publisherOrgId: m.publisherOrgId,
      sentAt: m.sentAt,
      description: m.description,
      ...(m.noise ? { noise: m.noise } : {}),
    })),
  );
  json('labels.json', scenario.labels);
  json('organisations.json', {
    regions: scenario.master.regions,
    organisations: scenario.master.organisations,
    products: scenario.master.products,
  });
  json('scans.json', scenario.scans);
  json('summary.json', { seed: scenario.seed, config: scenario.config, summary: scenario.summary });
  writeFileSync(join(dir, 'demand.csv'), demandCsv(scenario));
  return {
    dir,
    documents: scenario.messages.length,
    files: [
      'documents/',
      'messages.json',
      'labels.json',
      'organisations.json',
      'scans.json',
      'summary.json',
      'demand.csv',
    ],
  };
}

function documentFileName(message: SimulatedMessage, width: number): string {
  return `${String(message.seq).padStart(width, '0')}-${message.publisherOrgId}.jsonld`;
}

/** Long-format weekly counts (`# count: true`: a missing week is zero), as the series CSV parser reads them. */
export function demandCsv(scenario: SimulatedScenario): string {
  const lines = ['# frequency: weekly', '# count: true', 'series_id,date,value'];
  for (const series of scenario.dispensed) {
    const start = Date.parse(`${series.start}T00:00:00Z`);
    series.values.forEach((value, week) => {
      const date = new Date(start + week * 7 * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${series.seriesId},${date},${value}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/** One record for `epcis.events.v1`: what a producer sends, and when the publisher's system sent it. */
export interface ScenarioRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  /** Send time in the scenario (ISO). */
  sentAt: string;
  message: SimulatedMessage;
}

export interface ScenarioStreamOptions {
  /**
   * Replay at scenario speed divided by this factor (e.g. 3600: one simulated hour per second). Omitted: as fast
   * as the consumer pulls.
   */
  speedup?: number;
  /** Injected wait (tests); defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** The scenario's documents in send order, as Kafka records, optionally paced like the original timeline. */
export async function* scenarioMessages(
  scenario: Pick<SimulatedScenario, 'messages'>,
  options: ScenarioStreamOptions = {},
): AsyncGenerator<ScenarioRecord> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let previous: number | undefined;
  for (const message of scenario.messages) {
    const at = Date.parse(message.sentAt);
    if (options.speedup && previous !== undefined && at > previous)
      await sleep((at - previous) / options.speedup);
    previous = at;
    yield {
      key: message.key,
      value: Buffer.from(JSON.stringify(message.document)),
      headers: { [PUBLISHER_ORG_HEADER]: message.publisherOrgId, [REQUEST_ID_HEADER]: message.documentId },
      sentAt: message.sentAt,
      message,
    };
  }
}
