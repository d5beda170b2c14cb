// `npm run bench:members`: ingest throughput with one, two and three ingest processes in one consumer group (3
// partitions), each on a fresh schema and topics with the same generated events, plus the PostgreSQL COPY ceiling
// measured in the same run. BENCH_EVENTS sets the size (the npm script: 200,000); BENCH_MEMBERS the counts ("1,2,3").
// Results: bench/results/ingest-members.json and .md.
import { BENCH, benchContext, benchKafka, log, machine, writeResult } from './bench-support';
import { copyOnly, ingest, produce, registerOrganisations } from './ingest.bench';

const MEMBERS = BENCH.members;

interface MembersRun {
  members: number;
  events: number;
  steadyEventsPerSecond: number;
  wholeRunEventsPerSecond: number;
  copyRowsPerSecond: number;
}

/** One member count on its own schema and topics: produce, measure the COPY ceiling, ingest with `members`. */
async function runWith(members: number): Promise<MembersRun> {
  const ctx = await benchContext(`members${members}`, { KAFKA_TOPIC_PARTITIONS: '3' });
  try {
    await registerOrganisations(ctx);
    const produced = await produce(ctx, benchKafka(ctx));
    const copy = await copyOnly(ctx, produced.sampleEvents, produced.events);
    log(
      `${members} member(s): ${produced.events.toLocaleString()} events produced; COPY ${(copy.rows / copy.seconds).toFixed(0)} rows/s`,
    );
    const run = await ingest(ctx, produced.events, members);
    const result = {
      members,
      events: produced.events,
      steadyEventsPerSecond: (0.8 * run.events) / run.steadySeconds,
      wholeRunEventsPerSecond: run.events / run.seconds,
      copyRowsPerSecond: copy.rows / copy.seconds,
    };
    log(`${members} member(s): ${result.steadyEventsPerSecond.toFixed(0)} events/s steady`);
    return result;
  } finally {
    await ctx.cleanup();
  }
}

async function main(): Promise<void> {
  const runs: MembersRun[] = [];
  for (const members of MEMBERS) runs.push(await runWith(members));
  const one = runs.find((r) => r.members === 1);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows = runs.map(
    (r) =>
      `| ${r.members} | ${fmt(r.steadyEventsPerSecond)} | ${fmt(r.wholeRunEventsPerSecond)} | ${one ? (r.steadyEventsPerSecond / one.steadyEventsPerSecond).toFixed(2) : 'n/a'}× | ${fmt(r.copyRowsPerSecond)} | ${((100 * r.steadyEventsPerSecond) / r.copyRowsPerSecond).toFixed(0)} % |`,
  );
  writeResult(
    'ingest-members',
    { machine: machine(), runs },
    `
# Ingest with several members

${fmt(runs[0]?.events ?? 0)} events per run, 3 partitions, one consumer group; each member count on a fresh schema and topics,
${machine().cpus} cores shared with Kafka and PostgreSQL (no ledger). Run: \`npm run bench:members\`.

| ingest members | steady events/s (10–90 %) | whole run events/s | against one member | COPY ceiling, same run (rows/s) | of the ceiling |
| ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}
