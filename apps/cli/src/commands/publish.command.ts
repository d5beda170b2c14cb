import { loadConfig } from '@pedigree/config';
import { parseEpcisXml } from '@pedigree/epcis';
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
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
  errors: string[];
}

/** EPCIS documents among the given files and folders (recursively): *.json, *.jsonld and *.xml. */
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
      'publish EPCIS documents (2.0 JSON-LD, 2.0 or 1.2 XML; files or folders) to the capture API or straight to Kafka',
    )
    .argument('<paths...>', 'EPCIS documents (.json/.jsonld/.xml) or folders of them')
    .option('--via <channel>', 'api (tracks every document to its verdict) or kafka (fire and forget)', 'api')
    .option('--error-behaviour <mode>', 'rollback (a bad event rejects its document) or proceed', 'rollback')
    .option('--timeout <seconds>', 'how long to wait for verdicts (api)', '120')
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
  KAFKA_SASL_USERNAME=member-3f0c… KAFKA_SASL_PASSWORD=… PEDIGREE_SIGNING_KEY=0x… pedigree publish events/ --via kafka`,
    )
    .action(async (paths: string[], flags: { via: string; errorBehaviour: string; timeout: string }) => {
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
      const files = collectFiles(paths);
      const bar =
        !options.json && process.stderr.isTTY
          ? new SingleBar({ format: 'publishing [{bar}] {value}/{total} {file}', stream: process.stderr })
          : undefined;
      bar?.start(files.length, 0, { file: '' });
      const results =
        flags.via === 'api'
          ? await publishViaApi(options, files, flags.errorBehaviour, timeoutMs, (file) =>
              bar?.increment({ file }),
            )
          : await publishViaKafka(files, flags.errorBehaviour as ErrorBehaviour, (file) =>
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
        results,
      };
      print(options, summary, () => {
        const lines = [
          `${summary.files} document(s): ${summary.accepted} accepted, ${summary.partial} partly accepted, ${summary.rejected} rejected, ` +
            `${summary.running} still running, ${summary.waiting} waiting for a precondition, ${summary.unreadable} unreadable${summary.queued ? `, ${summary.queued} queued on Kafka` : ''}`,
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
    });
}

async function publishViaApi(
  options: GlobalOptions,
  files: string[],
  behaviour: string,
  timeoutMs: number,
  done: (file: string) => void,
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) {
    const document = readDocument(file);
    if ('error' in document) {
      results.push({ file, status: 'unreadable', errors: [document.error] });
      done(file);
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
        file,
        status: 'rejected',
        errors: [`${response.body.code ?? response.status}: ${response.body.detail ?? 'refused'}`],
      });
    } else {
      results.push({ file, captureID: response.body.captureID, status: 'running', errors: [] });
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
      const document = readDocument(file);
      if ('error' in document) {
        results.push({ file, status: 'unreadable', errors: [document.error] });
        done(file);
        continue;
      }
      const { bytes, contentType } = document;
      await producer.send(Topics.epcisEvents, [
        {
          value: bytes,
          headers: { ...(await signDocument(signer, bytes, behaviour)), [Headers.contentType]: contentType },
        },
      ]);
      results.push({ file, status: 'queued', errors: [] });
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

/** A document's bytes and media type, or why it cannot be sent: XML is read through (streaming, so cheaply). */
function readDocument(file: string): { bytes: Buffer; contentType: string } | { error: string } {
  const bytes = readFileSync(file);
  try {
    if (extname(file).toLowerCase() === '.xml') {
      parseEpcisXml(bytes, { maxBytes: bytes.length, maxEvents: Number.MAX_SAFE_INTEGER });
      return { bytes, contentType: 'application/xml' };
    }
    JSON.parse(bytes.toString('utf8'));
    return { bytes, contentType: 'application/ld+json' };
  } catch (error) {
    const kind = extname(file).toLowerCase() === '.xml' ? 'not an EPCIS XML document' : 'not JSON';
    return { error: `${kind}: ${(error as Error).message}` };
  }
}
