import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import cluster from 'node:cluster';
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  type PrometheusContentType,
  Registry,
} from 'prom-client';
import { primaryCall } from '../service/primary-calls';

/** One Prometheus registry per process, with Node's default metrics (heap, RSS, event-loop lag, GC). */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'pedigree_' });

export function counter(name: string, help: string, labelNames: string[] = []): Counter {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Counter;
  return new Counter({ name, help, labelNames, registers: [metricsRegistry] });
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Gauge;
  return new Gauge({ name, help, labelNames, registers: [metricsRegistry] });
}

export function histogram(
  name: string,
  help: string,
  buckets: number[],
  labelNames: string[] = [],
): Histogram {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Histogram;
  return new Histogram({ name, help, buckets, labelNames, registers: [metricsRegistry] });
}

let aggregator: AggregatorRegistry<PrometheusContentType> | undefined;

/** In a cluster worker: answer the primary's requests for this process's metrics (prom-client's protocol). */
export function enableWorkerMetrics(): void {
  AggregatorRegistry.setRegistries([metricsRegistry]);
  aggregator ??= new AggregatorRegistry();
}

/** In the cluster primary: every worker's metrics, summed (counters, histograms) per prom-client's rules. */
export function clusterMetrics(): Promise<string> {
  aggregator ??= new AggregatorRegistry();
  return aggregator.clusterMetrics();
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    // A scrape reaches one worker; the primary gathers them all, so the figures are the service's, not a share.
    return cluster.isWorker ? primaryCall<string>('metrics', []) : metricsRegistry.metrics();
  }
}

/** Serves `/metrics` for Prometheus scraping (public, like `/health`: no business data in it). */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
