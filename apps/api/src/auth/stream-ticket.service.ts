import { Injectable } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthRepository } from './auth.repository';
import type { Principal } from './principal';

/** How long a ticket opens a stream: long enough for the browser's own reconnect, short enough to be worthless. */
export const STREAM_TICKET_TTL_MS = 60_000;

interface TicketClaims {
  /** The API key id the ticket was issued for, or `admin`. */
  k: string;
  /** Expiry, ms since the epoch. */
  e: number;
  /** Randomness, so two tickets are never equal. */
  n: string;
}

/**
 * Short-lived tickets for the SSE stream. EventSource cannot send headers, and an API key in a URL ends up in
 * proxy and server logs; a ticket names the key by id, expires in a minute and is signed (HMAC) with a key
 * derived from the API's relay secret, so every API process accepts the tickets of the others.
 */
@Injectable()
export class StreamTicketService {
  private readonly secret: Buffer;

  constructor(
    config: PedigreeConfig,
    private readonly repository: AuthRepository,
  ) {
    const ikm = config.apiRelayPrivateKey ?? randomBytes(32).toString('hex');
    this.secret = Buffer.from(hkdfSync('sha256', ikm, 'pedigree', 'stream-ticket-v1', 32));
  }

  issue(principal: Principal, now = Date.now()): { ticket: string; expiresAt: string } {
    const claims: TicketClaims = {
      k: principal.role === 'admin' ? 'admin' : principal.apiKeyId!,
      e: now + STREAM_TICKET_TTL_MS,
      n: randomBytes(9).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { ticket: `${body}.${this.sign(body)}`, expiresAt: new Date(claims.e).toISOString() };
  }

  async redeem(ticket: string, now = Date.now()): Promise<Principal> {
    const claims = this.claimsOf(ticket);
    if (!claims || claims.e < now) {
      throw new AuthException(
        AuthErrorCode.INVALID_CREDENTIALS,
        'The stream ticket is not valid or has expired: request a new one with POST /v1/stream/tickets.',
        'ticket',
      );
    }
    if (claims.k === 'admin') return { role: 'admin', companyPrefixes: [], glns: [] };
    const record = await this.repository.findActiveKeyById(claims.k);
    if (!record) {
      throw new AuthException(
        AuthErrorCode.INVALID_CREDENTIALS,
        'The key this stream ticket was issued for is revoked, or its organisation is inactive.',
        'ticket',
      );
    }
    return {
      role: record.role,
      organisationId: record.organisationId,
      organisationName: record.organisationName,
      companyPrefixes: record.companyPrefixes,
      glns: record.glns,
      apiKeyId: record.keyId,
    };
  }

  private claimsOf(ticket: string): TicketClaims | undefined {
    const [body, signature] = ticket.split('.');
    if (!body || !signature || signature.length !== 43) return undefined;
    const expected = Buffer.from(this.sign(body));
    if (!timingSafeEqual(expected, Buffer.from(signature))) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TicketClaims;
      return typeof claims.k === 'string' && typeof claims.e === 'number' ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
