/**
 * Throughput of the CBV 2.0 Event Hash ID on a typical pharma event (ObjectEvent shipping 10 SGTINs, with read
 * point, business location, two business transactions, source, destination and a user extension). Run from the
 * repository root:
 *
 *   npx ts-node --transpile-only libs/epcis/src/hash/event-hash.bench.ts [events]
 *
 * Runs with EPCs new in every event and with EPCs seen before (as when a pack is commissioned, aggregated,
 * shipped and received). Prints events/s and µs/event per CPU core.
 */
// The @pedigree/* path aliases, as the repository's other ts-node scripts load them.
import 'tsconfig-paths/register';
import { performance } from 'node:perf_hooks';
import { computeEventHash } from './event-hash';

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { example: 'https://ns.example.com/epcis/' },
];

function typicalEvent(n: number): Record<string, unknown> {
  const serial = (k: number) => `urn:epc:id:sgtin:0614141.107346.${100000 + n * 10 + k}`;
  return {
    type: 'ObjectEvent',
    eventTime: '2024-03-04T11:00:30.123+01:00',
    eventTimeZoneOffset: '+01:00',
    recordTime: '2024-03-04T11:00:31.000Z',
    eventID: `urn:uuid:${n}`,
    epcList: Array.from({ length: 10 }, (_, k) => serial(k)),
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:0614141.00001.0' },
    bizLocation: { id: 'urn:epc:id:sgln:0614141.00001.0' },
    bizTransactionList: [
      { type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO-4711' },
      { type: 'desadv', bizTransaction: `urn:epcglobal:cbv:bt:0614141000005:ASN-${n}` },
    ],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:4012345.00000' }],
    'example:shipmentNote': { 'example:carrier': 'ACME', 'example:temperature': 4.5 },
  };
}

/**
 * Best of a few rounds, timed by the process's CPU time as well as the wall clock: on a shared machine the CPU
 * time is the fairer figure (other processes take wall time, not CPU time, from this one).
 */
function run(label: string, events: Record<string, unknown>[], rounds = 3): void {
  for (let i = 0; i < Math.min(events.length, 2000); i++) computeEventHash(events[i], CONTEXT); // warm up the JIT
  let bestWall = Infinity;
  let bestCpu = Infinity;
  for (let r = 0; r < rounds; r++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const e of events) computeEventHash(e, CONTEXT);
    bestWall = Math.min(bestWall, performance.now() - start);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
  }
  const rate = (ms: number) => Math.round(events.length / (ms / 1000));
  const micros = (ms: number) => ((ms * 1000) / events.length).toFixed(1);
  process.stdout.write(
    `${
      `${label}: ${rate(bestCpu)} events/s by CPU time (${micros(bestCpu)} µs/event), ` +
      `${rate(bestWall)} events/s by wall clock (${micros(bestWall)} µs/event)`
    }\n`,
  );
}

const count = Number(process.argv[2] ?? 50_000);
// Events arrive as JSON, so their strings are fresh objects each time, as after JSON.parse in the ingest service.
const parsed = (events: Record<string, unknown>[]) =>
  events.map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);
let next = 1_000_000;
const fresh = (): Record<string, unknown>[] => {
  next += count;
  return parsed(Array.from({ length: count }, (_, n) => typicalEvent(next + n)));
};
// New EPCs in every round.
for (let r = 0; r < 3; r++) run(`new EPCs   (round ${r + 1})`, fresh(), 1);
run('known EPCs (best of 3)', parsed(Array.from({ length: count }, (_, n) => typicalEvent(n % 1000))));
