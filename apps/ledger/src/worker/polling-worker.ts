import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { isRetriable } from '@pedigree/common';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loop that runs `tick()` until shutdown. A tick returns true when it did work (run again at once) or false
 * when idle (sleep the poll interval). Failures back off exponentially and never stop the loop: the database or
 * the chain coming back is the normal way out of an outage.
 */
export abstract class PollingWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  /** Set by workers that must run on the single leader only (they sign transactions). */
  protected leader?: { isLeader(): Promise<boolean> };
  private running = false;
  private loop?: Promise<void>;
  private failures = 0;

  protected abstract tick(): Promise<boolean>;
  protected abstract get idleDelayMs(): number;

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  protected get isRunning(): boolean {
    return this.running;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.leader && !(await this.leader.isLeader())) {
          await sleep(1000);
          continue;
        }
        const busy = await this.tick();
        if (this.failures > 0) this.logger.log(`recovered after ${this.failures} failed attempt(s)`);
        this.failures = 0;
        if (!busy) await sleep(this.idleDelayMs);
      } catch (error) {
        this.failures++;
        const delay = Math.min(15000, 200 * 2 ** Math.min(this.failures, 6));
        const level = this.failures <= 3 ? 'warn' : 'error';
        this.logger[level](
          { err: error, attempt: this.failures, retriable: isRetriable(error) },
          `tick failed; retrying in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }
}
