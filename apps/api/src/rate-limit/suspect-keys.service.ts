import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SuspectKeysRepository } from './suspect-keys.repository';

/**
 * Which keys intelligence caught harvesting serials, refreshed every few seconds from the open alerts (each API
 * process reads them itself): the alert is the one switch, so resolving it lifts the pressure everywhere.
 */
@Injectable()
export class SuspectKeysService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SuspectKeysService.name);
  private suspects = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  static refreshMs = 3000;

  constructor(private readonly repository: SuspectKeysRepository) {}

  onApplicationBootstrap(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), SuspectKeysService.refreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The open alert about this key, if it is suspect. */
  alertFor(apiKeyId: string): string | undefined {
    return this.suspects.get(apiKeyId);
  }

  async refresh(): Promise<void> {
    try {
      const next = await this.repository.open();
      for (const [key, alert] of next)
        if (!this.suspects.has(key)) this.logger.warn(`API key ${key} held back: harvesting alert ${alert}`);
      this.suspects = next;
    } catch (error) {
      // Keep the last list: a database hiccup must neither free suspects nor fail requests.
      this.logger.warn({ err: error }, 'cannot read the harvesting alerts; keeping the last list');
    }
  }
}
