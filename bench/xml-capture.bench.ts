// EPCIS XML capture figures (npm run bench:xml [events]): a manufacturer's end-of-day XML file of 100,000 events,
//   1. read as pedigree publish reads it (splitEpcisXml, streaming, in parts of 1,000) against reading it whole
//      (parseEpcisXml), each in its own process so its peak RSS is its own;
//   2. ingest's own DocumentDecoder (authentication, parse, XSD for XML, JSON Schema, rules, normalisation, Event
//      Hash) on the same 20,000 events as XML and as their JSON-LD twins, in the same run: XML/JSON events/s.
// Results: bench/results/xml-capture.{json,md}; npm run bench includes them in its report.
import { loadConfig } from '@pedigree/config';
import { parseEpcisXml, splitEpcisXml } from '@pedigree/epcis';
import { Headers, signRelay } from '@pedigree/messaging';
import { Wallet } from 'ethers';
import type { SourceMessage } from '@pedigree/supply-chain';
import { DocumentAuthenticator } from '../apps/ingest/src/pipeline/document-authenticator';
import { DocumentDecoder } from '../apps/ingest/src/pipeline/document-decoder';
import type { PartyDirectory } from '../apps/ingest/src/supply-chain/party-directory.service';
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { log, ROOT, writeResult } from './bench-support';

const CONFORMANCE = resolve(ROOT, '..', 'shared', 'conformance');
const PART_EVENTS = 1_000;
const DECODE_EVENTS = 20_000;

/** One event of a realistic day: commissioning with ILMD, packing into cases, shipping cases. */
function eventXml(i: number, time: string): string {
  const serial = `urn:epc:id:sgtin:4012345.012345.${100_000_000 + i}`;
  const site = 'urn:epc:id:sgln:4012345.00001.0';
  const common = `<eventTime>${time}</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset>`;
  if (i % 10 === 9) {
    const sscc = `urn:epc:id:sscc:4012345.${String(i).padStart(10, '0')}`;
    return `<ObjectEvent>${common}<epcList><epc>${sscc}</epc></epcList><action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep><disposition>urn:epcglobal:cbv:disp:in_transit</disposition><readPoint><id>${site}</id></readPoint><bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:4098765000002:PO-${i}</bizTransaction></bizTransactionList><sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4012345.00000</source></sourceList><destinationList><destination type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4098765.00000</destination></destinationList></ObjectEvent>`;
  }
  return `<ObjectEvent>${common}<epcList><epc>${serial}</epc></epcList><action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep><disposition>urn:epcglobal:cbv:disp:active</disposition><readPoint><id>${site}</id></readPoint><ilmd><cbvmda:lotNumber>L${Math.floor(i / 1000)}</cbvmda:lotNumber><cbvmda:itemExpirationDate>2029-06-30</cbvmda:itemExpirationDate></ilmd></ObjectEvent>`;
}

async function writeDayFile(path: string, events: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(
    '<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" ' +
      'xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="2.0" creationDate="2026-12-06T18:00:00Z">' +
      '<EPCISBody><EventList>\n',
  );
  const time = '2026-12-06T10:00:00.000+01:00';
  for (let i = 0; i < events; i++) {
    if (!out.write(`${eventXml(i, time)}\n`)) await once(out, 'drain');
  }
  out.end('</EventList></EPCISBody></epcis:EPCISDocument>\n');
  await once(out, 'finish');
}

/** Child mode: read the file one way, print events, seconds and peak RSS. */
async function measure(mode: string, file: string): Promise<void> {
  const start = performance.now();
  let events = 0;
  if (mode === 'none') {
    // The process with the same modules loaded and nothing read: the baseline both readings are compared to.
  } else if (mode === 'stream') {
    for await (const part of splitEpcisXml(createReadStream(file), PART_EVENTS)) {
      events += parseEpcisXml(part.xml, { maxEvents: PART_EVENTS }).eventCount;
    }
  } else {
    events = parseEpcisXml(readFileSync(file), {
      maxBytes: Number.MAX_SAFE_INTEGER,
      maxEvents: Number.MAX_SAFE_INTEGER,
    }).eventCount;
  }
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(
    JSON.stringify({ events, seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }),
  );
}

function inChild(mode: string, file: string): { events: number; seconds: number; peakRssMiB: number } {
  const child = spawnSync(process.execPath, [__filename, '--measure', mode, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${mode} reading failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { events: number; seconds: number; peakRssMiB: number };
}

/**
 * Ingest's own decoder (DocumentDecoder: authentication, parsing, XSD for XML, JSON Schema, rules, normalisation,
 * Event Hash), on documents the API relay signed for one member; events per second.
 */
async function decodeRate(
  decoder: DocumentDecoder,
  relay: Wallet,
  documents: Buffer[],
  xml: boolean,
): Promise<number> {
  const messages: SourceMessage[] = [];
  for (const [i, value] of documents.entries()) {
    const headers = await signRelay(relay, value, {
      publisher: 'bench-member',
      captureId: '',
      errorBehaviour: 'rollback',
    });
    headers[Headers.contentType] = xml ? 'application/xml' : 'application/ld+json';
    messages.push({
      value,
      key: null,
      headers,
      topic: 'bench',
      partition: 0,
      offset: String(i),
      timestamp: '0',
    });
  }
  let events = 0;
  const start = performance.now();
  for (const message of messages) {
    const decoded = await decoder.decode(message);
    if (decoded.documentIssues.length > 0 || decoded.eventIssues.size > 0) {
      throw new Error(
        `a bench document was refused: ${JSON.stringify(decoded.documentIssues[0] ?? [...decoded.eventIssues][0])}`,
      );
    }
    events += decoded.events.length;
  }
  return events / ((performance.now() - start) / 1000);
}

function benchDecoder(relay: Wallet): DocumentDecoder {
  const config = loadConfig('tool', {
    EPCIS_STANDARD_DIR: join(CONFORMANCE, 'epcis'),
    EPCIS_XSD_DIR: join(CONFORMANCE, 'epcis-xml', 'xsd'),
    INGEST_TRUSTED_RELAYS: relay.address,
  });
  // Every publisher is a member here: the directory is the database's business, not the decoder's.
  const parties = {
    isActiveMember: () => true,
    organisationOfSigner: () => undefined,
    companyPrefixLength: () => 7,
  } as unknown as PartyDirectory;
  return new DocumentDecoder(config, new DocumentAuthenticator(config, parties), parties);
}

async function main(): Promise<void> {
  const target = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'pedigree-xml-bench-'));
  const file = join(dir, 'end-of-day.xml');
  try {
    log(`writing a ${target.toLocaleString()}-event EPCIS 2.0 XML file`);
    await writeDayFile(file, target);
    const megabytes = statSync(file).size / 1024 / 1024;
    const baseline = inChild('none', file);
    const stream = inChild('stream', file);
    const whole = inChild('whole', file);
    // Bounded means it does not grow with the file: the same reading of a file four times as large.
    const large = join(dir, 'four-days.xml');
    await writeDayFile(large, target * 4);
    const streamedLarge = inChild('stream', large);
    rmSync(large);
    log(
      `peak RSS: baseline ${baseline.peakRssMiB.toFixed(0)} MiB, streamed ${stream.peakRssMiB.toFixed(0)} MiB, whole ${whole.peakRssMiB.toFixed(0)} MiB`,
    );

    const parts: Buffer[] = [];
    for await (const part of splitEpcisXml(createReadStream(file), PART_EVENTS)) {
      parts.push(Buffer.from(part.xml));
      if (parts.length * PART_EVENTS >= DECODE_EVENTS) break;
    }
    const twins = parts.map((xml) => Buffer.from(JSON.stringify(parseEpcisXml(xml).value)));
    const relay = new Wallet(Wallet.createRandom().privateKey);
    const decoder = benchDecoder(relay);
    // Warm both paths once (schema compilation, the worker's XSD load), then measure.
    await decodeRate(decoder, relay, twins.slice(0, 1), false);
    await decodeRate(decoder, relay, parts.slice(0, 1), true);
    const json = await decodeRate(decoder, relay, twins, false);
    const xml = await decodeRate(decoder, relay, parts, true);
    await decoder.onModuleDestroy();
    const result = {
      events: target,
      fileMiB: megabytes,
      partEvents: PART_EVENTS,
      baselineRssMiB: baseline.peakRssMiB,
      streamed: { ...stream, aboveBaselineMiB: stream.peakRssMiB - baseline.peakRssMiB },
      whole: { ...whole, aboveBaselineMiB: whole.peakRssMiB - baseline.peakRssMiB },
      streamedFourTimes: {
        ...streamedLarge,
        aboveBaselineMiB: streamedLarge.peakRssMiB - baseline.peakRssMiB,
      },
      streamedToWholeMemoryRatio:
        (stream.peakRssMiB - baseline.peakRssMiB) / (whole.peakRssMiB - baseline.peakRssMiB),
      decode: { events: parts.length * PART_EVENTS, jsonEventsPerSecond: json, xmlEventsPerSecond: xml },
      xmlToJsonRatio: xml / json,
    };
    writeResult('xml-capture', result, report(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: {
  events: number;
  fileMiB: number;
  baselineRssMiB: number;
  streamed: { seconds: number; peakRssMiB: number; aboveBaselineMiB: number };
  streamedFourTimes: { events: number; seconds: number; peakRssMiB: number; aboveBaselineMiB: number };
  whole: { seconds: number; peakRssMiB: number; aboveBaselineMiB: number };
  streamedToWholeMemoryRatio: number;
  decode: { events: number; jsonEventsPerSecond: number; xmlEventsPerSecond: number };
  xmlToJsonRatio: number;
}): string {
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  return `# EPCIS XML capture

A ${f(r.events)}-event EPCIS 2.0 XML file (${f(r.fileMiB, 1)} MiB), measured ${new Date().toISOString()}.

| reading the file | seconds | peak RSS | above the process's own ${f(r.baselineRssMiB)} MiB |
| --- | --- | --- | --- |
| streamed in parts of ${PART_EVENTS} (pedigree publish), each part parsed | ${f(r.streamed.seconds, 1)} | ${f(r.streamed.peakRssMiB)} MiB | ${f(r.streamed.aboveBaselineMiB)} MiB |
| the same, a file of ${f(r.streamedFourTimes.events)} events (4×) | ${f(r.streamedFourTimes.seconds, 1)} | ${f(r.streamedFourTimes.peakRssMiB)} MiB | ${f(r.streamedFourTimes.aboveBaselineMiB)} MiB |
| whole, one parse (the baseline) | ${f(r.whole.seconds, 1)} | ${f(r.whole.peakRssMiB)} MiB | ${f(r.whole.aboveBaselineMiB)} MiB |
| streamed / whole, memory above the process | | | ${f(r.streamedToWholeMemoryRatio, 2)} |

| ingest decode stage, ${f(r.decode.events)} events | events/s |
| --- | --- |
| JSON-LD (parse, JSON Schema, rules, normalise, Event Hash) | ${f(r.decode.jsonEventsPerSecond)} |
| XML (the same, plus reading XML and the XSD check) | ${f(r.decode.xmlEventsPerSecond)} |
| XML / JSON | ${f(r.xmlToJsonRatio, 2)} |
`;
}

if (process.argv[2] === '--measure') void measure(process.argv[3]!, process.argv[4]!);
else void main();
