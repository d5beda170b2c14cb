import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { LedgerChainService } from '../chain/ledger-chain.service';

@Controller('health')
export class LedgerHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly chain: LedgerChainService,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('chain');
        const state = await this.chain.checkChain();
        if (!state.reachable) return indicator.down({ reason: 'node not reachable' });
        if (!state.sameChain)
          return indicator.down({ reason: 'genesis differs from the deployment: chain was reset' });
        return indicator.up({ head: state.head });
      },
    ]);
  }
}
