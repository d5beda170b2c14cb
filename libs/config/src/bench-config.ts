import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { EnvVariable } from './env-variable.decorator';

/** The steps of `npm run bench` (bench/report.bench.ts); `chain` is the pipeline run every report makes. */
export const BENCH_STEPS = ['ingest', 'chain', 'verify', 'soak'] as const;
export type BenchStep = (typeof BENCH_STEPS)[number];

/**
 * The benchmarks' settings (bench/*.bench.ts), read by `loadBenchConfig`. Separate from `PedigreeConfig` because
 * they tune the load a benchmark generates, not a service: the services it starts get their own environment.
 */
export class BenchConfig {
  @EnvVariable({
    env: 'BENCH_STEPS',
    description: `steps of \`npm run bench\`, comma-separated (${BENCH_STEPS.join(', ')})`,
    kind: 'list',
    default: ['ingest', 'chain', 'verify'],
  })
  @IsIn(BENCH_STEPS, { each: true })
  steps!: BenchStep[];

  @EnvVariable({
    env: 'BENCH_EVENTS',
    description: 'events a benchmark produces (rounded up to whole lots)',
    kind: 'integer',
    default: 1_000_000,
  })
  @IsInt()
  @Min(1)
  events!: number;

  @EnvVariable({
    env: 'BENCH_VERIFY_SECONDS',
    description: 'seconds of verification load per swept rate',
    kind: 'integer',
    default: 60,
  })
  @IsInt()
  @Min(1)
  verifySeconds!: number;

  @EnvVariable({
    env: 'BENCH_VERIFY_RATE',
    description: 'verification rate of the goal (requests/s); always among the swept rates',
    kind: 'integer',
    default: 1000,
  })
  @IsInt()
  @Min(1)
  verifyRate!: number;

  @EnvVariable({
    env: 'BENCH_VERIFY_SWEEP',
    description:
      'verification rates to sweep (requests/s, comma-separated); BENCH_VERIFY_RATE is always added',
    kind: 'integer-list',
    default: [250, 500, 750],
  })
  @Min(1, { each: true })
  verifySweep!: number[];

  @EnvVariable({
    env: 'BENCH_API_WORKERS',
    description: 'API processes (API_WORKERS) serving the verification load',
    kind: 'integer',
    default: 2,
  })
  @IsInt()
  @Min(1)
  @Max(32)
  apiWorkers!: number;

  @EnvVariable({
    env: 'BENCH_SOAK_SECONDS',
    description: 'length of the soak step',
    kind: 'integer',
    default: 600,
  })
  @IsInt()
  @Min(1)
  soakSeconds!: number;

  @EnvVariable({
    env: 'BENCH_SOAK_RATE',
    description: 'events/s produced during the soak (unset: the steady ingest rate just measured)',
    kind: 'integer',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  soakRate?: number;

  /** Filled in by `loadBenchConfig` when unset, so readers always get a rate. */
  @EnvVariable({
    env: 'BENCH_SOAK_VERIFY_RATE',
    description: 'verification requests/s alongside the soak (unset: BENCH_VERIFY_RATE)',
    kind: 'integer',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  soakVerifyRate!: number;

  @EnvVariable({
    env: 'BENCH_MEMBERS',
    description: 'ingest process counts `npm run bench:members` compares (comma-separated)',
    kind: 'integer-list',
    default: [1, 2, 3],
  })
  @ArrayNotEmpty()
  @Min(1, { each: true })
  members!: number[];

  @EnvVariable({
    env: 'BENCH_PROFILE',
    description: 'folder for V8 CPU profiles of the services a benchmark starts (unset: no profiling)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  profileDir?: string;

  @EnvVariable({
    env: 'BENCH_NODE_FLAGS',
    description: 'Node/V8 flags for every service a benchmark starts, space-separated (e.g. --trace-gc)',
    default: '',
  })
  @IsString()
  nodeFlags!: string;

  @EnvVariable({
    env: 'BENCH_KEEP',
    description: 'keep the report run’s schema and topics afterwards, for a post-mortem on the real data',
    kind: 'boolean',
    default: false,
  })
  @IsBoolean()
  keep!: boolean;
}
