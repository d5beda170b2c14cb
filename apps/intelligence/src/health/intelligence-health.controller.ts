import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { AlertOutbox } from '../alerts/alert-outbox.service';
import { StreamConsumers } from '../detection/stream.consumers';

@Controller('health')
export class IntelligenceHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly streams: StreamConsumers,
    private readonly outbox: AlertOutbox,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      // Up while models train on first start: the service is alive; events wait in Kafka until it scores.
      // alertsWaiting: alert changes kept while PostgreSQL or Kafka was down, written first once they are back.
      () =>
        this.indicators.check('detector').up({
          state: this.streams.ready ? 'scoring' : 'starting',
          alertsWaiting: this.outbox.size,
        }),
    ]);
  }
}
