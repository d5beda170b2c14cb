import { loadConfig } from '@pedigree/config';
import { splitEpcisXml } from '@pedigree/epcis';
import {
  createKafka,
  type ErrorBehaviour,
  Headers,
  signDocument,
  Topics,
  TypedProducer,
} from '@pedigree/messaging';
import { Wallet } from 'ethers';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { callApi, type Problem } from '../api-client';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';

interface CaptureJob {
  captureID: string;
  running: boolean;
  success: boolean;
  eventCount: number;
  acceptedCount: number;
  rejectedCount: number;
  /** Vocabulary elements of master data stored (an EPCISMasterDataDocument has no events). */
  masterDataCount?: number;
  errors: { title: string; detail: string; pointer?: string; eventIndex?: number }[];
  waiting: { title: string; detail: string; waitingFor: string[] }[];
}

interface FileResult {
  file: string;
  captureID?: string;
  status: 'accepted' | 'waiting' | 'rejected' | 'partial' | 'running' | 'unreadable' | 'queued';
  events?: number;
  accepted?: number;
  rejected?: number;
  masterData?: number;
  errors: string[];
}

/**
 * EPCIS documents among the given files and folders (recursively): *.json, *.jsonld and *.xml, whether events
 * (EPCISDocument) or master data on its own (EPCISMasterDataDocument).
 */
export function collectFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (path: string) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CliError(`No such file or folder: ${path}`, ExitCode.NO_INPUT);
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    } else if (['.json', '.jsonld', '.xml'].includes(extname(path).toLowerCase())) {
      files.push(path);
    }
  };
  paths.forEach(visit);
  if (files.length === 0)
    throw new CliError(
      'No .json, .jsonld or .xml files found.',
      ExitCode.NO_INPUT,
      'Point publish at EPCIS documents.',
    );
  return files;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerPublish(program: Command, globals: () => GlobalOptions): void {
  program
    .command('publish')
    .description(
      'publish EPCIS documents (2.0 JSON-LD, 2.0 or 1.2 XML; files or folders; events or master data) to the capture API or straight to Kafka',
    )
    .argument('<paths...>', 'EPCIS documents (.json/.jsonld/.xml) or folders of them')
    .option('--via <channel>', 'api (tracks every document to its verdict) or kafka (fire and forget)', 'api')
    .option('--error-behaviour <mode>', 'rollback (a bad event rejects its document) or proceed', 'rollback')
    .option('--timeout <seconds>', 'how long to wait for verdicts (api)', '120')
    .option(
      '--part-events <n>',
      'XML files are read as a stream and sent in documents of at most this many events (each its own job)',
      '1000',
    )
    .addHelpText(
      'after',
      `
With --via kafka the member connects its own producer: its Kafka account (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD,
from the organisation's registration) and its signing key (PEDIGREE_SIGNING_KEY). Each document is signed (EIP-712);
ingest takes the publisher from that signature, never from a header.

Exit codes: 0 all accepted, 1 some rejected, 2 some still running at --timeout or waiting for a precondition
(a shipment, a commissioning not arrived yet), 65 unreadable files, 69 API down.
Examples:
  pedigree publish shipments/ --key pdg_…
  pedigree publish day-1.jsonld --error-behaviour proceed --json
  pedigree publish end-of-day.xml --key pdg_…          (EPCIS 2.0 or 1.2 XML, any size: sent in parts)
  pedigree publish products-masterdata.xml --key pdg_… (an EPCISMasterDataDocument: product master data first)
  KAFKA_SASL_USERNAME=member-3f0c… KAFKA_SASL_PASSWORD=… PEDIGREE_SIGNING_KEY=0x… pedigree publish events/ --via kafka`,
    )
    .action(
      async (
        paths: string[],
        flags: { via: string; errorBehaviour: string; timeout: string; partEvents: string },
      ) => {
        const options = globals();
        if (!['api', 'kafka'].includes(flags.via))
          throw new CliError(`--via must be api or kafka, not ${flags.via}`, ExitCode.USAGE);
        if (!['rollback', 'proceed'].includes(flags.errorBehaviour)) {
          throw new CliError(
            `--error-behaviour must be rollback or proceed, not ${flags.errorBehaviour}`,
            ExitCode.USAGE,
          );
        }
        const timeoutMs = Number(flags.timeout) * 1000;
        if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
          throw new CliError('--timeout must be a positive number of seconds', ExitCode.USAGE);
        const partEvents = Number(flags.partEvents);
        if (!Number.isInteger(partEvents) || partEvents < 1)
          throw new CliError('--part-events must be a whole number ≥ 1', ExitCode.USAGE);
        const files = collectFiles(paths);
        const bar =
          !options.json && process.stderr.isTTY
            ? new SingleBar({ format: 'publishing [{bar}] {value}/{total} {file}', stream: process.stderr })
            : undefined;
        bar?.start(files.length, 0, { file: '' });
        const results =
          flags.via === 'api'
            ? await publishViaApi(options, files, partEvents, flags.errorBehaviour, timeoutMs, (file) =>
                bar?.increment({ file }),
              )
            : await publishViaKafka(files, partEvents, flags.errorBehaviour as ErrorBehaviour, (file) =>
                bar?.increment({ file }),
              );
        bar?.stop();

        const count = (status: FileResult['status']) => results.filter((r) => r.status === status).length;
        const summary = {
          files: results.length,
          accepted: count('accepted'),
          partial: count('partial'),
          rejected: count('rejected'),
          running: count('running'),
          waiting: count('waiting'),
          unreadable: count('unreadable'),
          queued: count('queued'),
          masterData: results.reduce((n, r) => n + (r.masterData ?? 0), 0),
          results,
        };
        print(options, summary, () => {
          const lines = [
            `${summary.files} document(s): ${summary.accepted} accepted, ${summary.partial} partly accepted, ${summary.rejected} rejected, ` +
              `${summary.running} still running, ${summary.waiting} waiting for a precondition, ${summary.unreadable} unreadable${summary.queued ? `, ${summary.queued} queued on Kafka` : ''}` +
              (summary.masterData ? `; ${summary.masterData} master data element(s) stored` : ''),
          ];
          for (const r of results.filter((x) => x.errors.length > 0)) {
            lines.push(`  ${r.file} (${r.status})`);
            for (const error of r.errors.slice(0, 5)) lines.push(`    - ${error}`);
            if (r.errors.length > 5) lines.push(`    … ${r.errors.length - 5} more`);
          }
          return lines.join('\n');
        });
        process.exitCode =
          summary.unreadable > 0
            ? ExitCode.DATA_ERROR
            : summary.rejected + summary.partial > 0
              ? ExitCode.NEGATIVE
              : summary.running + summary.waiting > 0
                ? ExitCode.PENDING
                : ExitCode.OK;
      },
    );
}

async function publishViaApi(
  options: GlobalOptions,
  files: string[],
  partEvents: number,
  behaviour: string,
  timeoutMs: number,
  done: (file: string) => void,
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) {
    for await (const document of documentsOf(file, partEvents)) {
      if ('error' in document) {
        results.push({ file: document.label, status: 'unreadable', errors: [document.error] });
        continue;
      }
      const response = await callApi<{ captureID: string } & Problem>(
        options,
        'POST',
        '/epcis/v2/capture',
        document.bytes,
        {
          'content-type': document.contentType,
          'GS1-Capture-Error-Behaviour': behaviour,
        },
      );
      if (response.status !== 202) {
        results.push({
          file: document.label,
          status: 'rejected',
          errors: [`${response.body.code ?? response.status}: ${response.body.detail ?? 'refused'}`],
        });
      } else {
        results.push({
          file: document.label,
          captureID: response.body.captureID,
          status: 'running',
          errors: [],
        });
      }
    }
    done(file);
  }
  const deadline = Date.now() + timeoutMs;
  for (const result of results.filter((r) => r.captureID)) {
    for (;;) {
      const job = (await callApi<CaptureJob>(options, 'GET', `/epcis/v2/capture/${result.captureID}`)).body;
      result.events = job.eventCount;
      result.accepted = job.acceptedCount;
      result.rejected = job.rejectedCount;
      result.masterData = job.masterDataCount;
      result.errors = job.errors.map(
        (e) => `${e.title}${e.eventIndex !== undefined ? ` (event ${e.eventIndex})` : ''}: ${e.detail}`,
      );
      if (!job.running) {
        result.status =
          job.rejectedCount > 0
            ? job.acceptedCount > 0
              ? 'partial'
              : 'rejected'
            : job.waiting.length > 0
              ? 'waiting'
              : 'accepted';
        result.errors.push(...job.waiting.map((w) => `waiting: ${w.title}: ${w.detail}`));
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(500);
    }
  }
  return results;
}

async function publishViaKafka(
  files: string[],
  partEvents: number,
  behaviour: ErrorBehaviour,
  done: (file: string) => void,
): Promise<FileResult[]> {
  const config = loadConfig('cli');
  if (!config.memberSigningKey) {
    throw new CliError(
      'Publishing to Kafka needs your signing key: set PEDIGREE_SIGNING_KEY (shown when your organisation was registered).',
      ExitCode.USAGE,
      'Ingest refuses unsigned documents; or publish through the API with --key.',
    );
  }
  const signer = new Wallet(config.memberSigningKey);
  const producer = new TypedProducer(createKafka(config, 'cli'), config);
  const results: FileResult[] = [];
  try {
    for (const file of files) {
      for await (const document of documentsOf(file, partEvents)) {
        if ('error' in document) {
          results.push({ file: document.label, status: 'unreadable', errors: [document.error] });
          continue;
        }
        const { bytes, contentType } = document;
        await producer.send(Topics.epcisEvents, [
          {
            value: bytes,
            headers: {
              ...(await signDocument(signer, bytes, behaviour)),
              [Headers.contentType]: contentType,
            },
          },
        ]);
        results.push({ file: document.label, status: 'queued', errors: [] });
      }
      done(file);
    }
  } catch (error) {
    throw new CliError(
      `Kafka refused the documents: ${(error as Error).message}`,
      ExitCode.UNAVAILABLE,
      'Check KAFKA_BROKERS, your Kafka account (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD) and that the broker runs.',
    );
  } finally {
    await producer.disconnect();
  }
  return results;
}

type Outgoing = { label: string; bytes: Buffer; contentType: string } | { label: string; error: string };

/**
 * The documents a file is sent as. JSON: the file itself. XML (EPCIS 2.0 or 1.2, any size): read as a stream and cut
 * into documents of at most `partEvents` events, each the original header and events byte for byte, so memory stays
 * bounded and every part stays within the capture limits; a document without events (an EPCISMasterDataDocument) is
 * sent whole. A part that cannot be read ends the file there; the parts
 * before it have been sent and say so.
 */
async function* documentsOf(file: string, partEvents: number): AsyncGenerator<Outgoing> {
  if (extname(file).toLowerCase() !== '.xml') {
    const bytes = readFileSync(file);
    try {
      JSON.parse(bytes.toString('utf8'));
      yield { label: file, bytes, contentType: 'application/ld+json' };
    } catch (error) {
      yield { label: file, error: `not JSON: ${(error as Error).message}` };
    }
    return;
  }
  let sent = 0;
  try {
    for await (const part of splitEpcisXml(createReadStream(file), partEvents)) {
      const last = part.firstEvent + part.eventCount;
      // A file that fits in one part keeps its name alone.
      const whole = part.firstEvent === 0 && part.eventCount < partEvents;
      const label = whole ? file : `${file} [events ${part.firstEvent + 1}–${last}]`;
      yield { label, bytes: Buffer.from(part.xml, 'utf8'), contentType: 'application/xml' };
      sent = last;
    }
  } catch (error) {
    yield {
      label: sent > 0 ? `${file} [after event ${sent}]` : file,
      error: `not an EPCIS XML document: ${(error as Error).message}`,
    };
  }
}
