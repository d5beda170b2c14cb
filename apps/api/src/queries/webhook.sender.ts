import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { createHmac } from 'node:crypto';
import { Agent, request } from 'undici';
import { guardedLookup } from './webhook-destination.policy';

export interface WebhookDelivery {
  dest: string;
  body: string;
  signatureToken: string | null;
  deliveryId: string;
}

/** `sha256=` and the hex HMAC-SHA256 of the exact body bytes, keyed by the subscription's signatureToken. */
export function gs1Signature(body: string, token: string): string {
  return `sha256=${createHmac('sha256', token).update(body, 'utf8').digest('hex')}`;
}

/**
 * POSTs query results to a webhook. Success is a 2xx answer within the timeout and nothing else: a redirect, a
 * 4xx, a 5xx, a reset or a timeout all leave the subscription's cursor where it was.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(config: PedigreeConfig) {
    this.timeoutMs = config.subscriptionTimeoutMs;
    this.agent = new Agent({
      connect: { lookup: guardedLookup(config.subscriptionPrivateDestinations), timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  /** Undefined on success, else why it failed (no secret and no body in it: it is stored and shown). */
  async send(delivery: WebhookDelivery): Promise<string | undefined> {
    const headers: Record<string, string> = {
      'content-type': 'application/ld+json',
      'gs1-epcis-version': '2.0.0',
      'pedigree-delivery-id': delivery.deliveryId,
    };
    if (delivery.signatureToken)
      headers['gs1-signature'] = gs1Signature(delivery.body, delivery.signatureToken);
    try {
      const response = await request(delivery.dest, {
        method: 'POST',
        headers,
        body: delivery.body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body.dump();
      return response.statusCode >= 200 && response.statusCode < 300
        ? undefined
        : `the receiver answered HTTP ${response.statusCode}`;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError' || /Timeout/.test(name))
        return `no answer within ${this.timeoutMs} ms`;
      return `delivery failed: ${(error as Error).message.slice(0, 200)}`;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}
