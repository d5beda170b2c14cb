import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

/** Serves `/metrics` for Prometheus scraping (public, like `/health`: no business data in it). */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
