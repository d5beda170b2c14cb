import { Logger } from '@nestjs/common';
import cluster, { type Worker } from 'node:cluster';
import { clusterMetrics, enableWorkerMetrics } from '../observability/metrics';
import { listenForReplies, servePrimaryCalls } from './primary-calls';

/** Exit code of a configuration error (sysexits' EX_CONFIG): every worker would fail the same way. */
const EX_CONFIG = 78;
/** More unexpected worker exits than this within a minute stop the service instead of restarting forever. */
const MAX_RESTARTS_PER_MINUTE = 5;
const STOP_GRACE_MS = 30_000;

export interface WorkersOptions {
  name: string;
  workers: number;
  /** Starts one worker's service (or the whole service when there is one worker). */
  start: () => Promise<unknown>;
  /** State the primary holds for all workers: register {@link servePrimaryCalls} handlers here. */
  primary?: () => void;
}

/**
 * Runs a service in `workers` processes sharing its port (node:cluster; the primary hands out connections).
 * The primary restarts a worker that dies, stops them all gracefully on SIGTERM/SIGINT and exits after the last;
 * a worker whose primary is gone stops itself, so nothing is left listening.
 */
export async function runInWorkers(options: WorkersOptions): Promise<void> {
  if (options.workers <= 1) {
    await options.start();
    return;
  }
  if (cluster.isWorker) {
    superviseWorker();
    await options.start();
    return;
  }
  options.primary?.();
  servePrimaryCalls({ metrics: () => clusterMetrics() });
  new ClusterPrimary(options.name, options.workers).start();
}

function superviseWorker(): void {
  listenForReplies();
  enableWorkerMetrics();
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.prependOnceListener(signal, () => {
      // Nest's shutdown hooks close the app on the first signal; a second one (the primary's stop after a signal to
      // the whole process group) must not kill the process mid-close, so it is swallowed here.
      if (closing) return;
      closing = true;
      if (process.listenerCount(signal) === 0) process.exit(0); // not started yet: nothing to close
    });
  const stop = () => !closing && process.kill(process.pid, 'SIGTERM');
  process.on('message', (message: { type?: string }) => message?.type === 'pedigree:stop' && stop());
  process.on('disconnect', stop);
}

class ClusterPrimary {
  private readonly logger: Logger;
  private stopping = false;
  private exitCode = 0;
  private readonly restarts: number[] = [];

  constructor(
    name: string,
    private readonly size: number,
  ) {
    this.logger = new Logger(`${name}-primary`);
  }

  start(): void {
    for (let i = 0; i < this.size; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => this.stop());
    this.logger.log(`${this.size} workers started (primary pid ${process.pid})`);
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    if (this.stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(this.exitCode);
      return;
    }
    if (code === EX_CONFIG) {
      this.logger.error('a worker stopped on a configuration error; stopping the service');
      return this.stop(EX_CONFIG);
    }
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length > 0 && this.restarts[0]! < now - 60_000) this.restarts.shift();
    if (this.restarts.length > MAX_RESTARTS_PER_MINUTE) {
      this.logger.error(`${this.restarts.length} worker exits within a minute; stopping the service`);
      return this.stop(1);
    }
    this.logger.warn(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    setTimeout(() => !this.stopping && cluster.fork(), 1000);
  }

  private stop(exitCode = 0): void {
    if (this.stopping) return;
    this.stopping = true;
    this.exitCode = exitCode;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) if (worker.isConnected()) worker.send({ type: 'pedigree:stop' });
    setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  }
}
