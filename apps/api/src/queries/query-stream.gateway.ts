import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommonError, CommonErrorCode, PedigreeError } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { credentialOf } from '../auth/api-key.guard';
import { AuthService } from '../auth/auth.service';
import type { Principal } from '../auth/principal';
import { StreamTicketService } from '../auth/stream-ticket.service';
import type { QueryParams } from '../events-query/event-query.parser';
import type { RowCursor } from '../events-query/events-query.repository';
import { EventsQueryService, type QueryScope, scopeOf } from '../events-query/events-query.service';
import { LiveFeedService } from '../stream/live-feed.service';
import { NamedQueriesService } from './named-queries.service';

const PATH = /^\/epcis\/v2\/queries\/([^/]+)\/events$/;
const BATCH = 500;
const POLL_MS = 5000;

interface StreamSession {
  socket: WebSocket;
  name: string;
  params: QueryParams;
  scope: QueryScope;
  cursor: RowCursor;
  busy: boolean;
  again: boolean;
}

/**
 * EPCIS 2.0 query streaming (§12.6.2): a WebSocket on `/epcis/v2/queries/{name}/events` receives an
 * EPCISQueryDocument whenever events matching the named query are recorded, from the moment it connects, in commit
 * order. Authenticated like the REST API (a key in the Authorization header) or, for browsers that cannot send one,
 * by a stream ticket (`?ticket=`). Best effort while connected: a client that needs every event subscribes a webhook.
 */
@Injectable()
export class QueryStreamGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueryStreamGateway.name);
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly perKey = new Map<string, number>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: PedigreeConfig,
    private readonly auth: AuthService,
    private readonly tickets: StreamTicketService,
    private readonly queries: NamedQueriesService,
    private readonly events: EventsQueryService,
    private readonly live: LiveFeedService,
  ) {}

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter.getHttpServer() as Server;
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(request, socket, head);
    });
  }

  onApplicationShutdown(): void {
    for (const client of this.server.clients) client.close(1001, 'server shutting down');
    this.server.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = PATH.exec(url.pathname);
    try {
      if (!match)
        throw new CommonError(
          CommonErrorCode.NOT_FOUND,
          'No WebSocket here: use /epcis/v2/queries/{name}/events.',
        );
      const principal = await this.authenticate(request, url);
      const name = decodeURIComponent(match[1]!);
      const params = await this.queries.paramsFor(principal, name, {});
      const cursor = { value: await this.events.commitHorizon(), hash: '' };
      this.admit(principal);
      this.server.handleUpgrade(request, socket, head, (ws) => {
        this.serve(
          { socket: ws, name, params, scope: scopeOf(principal), cursor, busy: false, again: false },
          principal,
        );
      });
    } catch (error) {
      const status = error instanceof PedigreeError ? (error.status ?? 500) : 500;
      const body = JSON.stringify({
        status,
        detail: error instanceof PedigreeError ? error.message : 'internal error',
      });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  }

  private authenticate(request: IncomingMessage, url: URL): Promise<Principal> {
    const credential = credentialOf(request as Parameters<typeof credentialOf>[0]);
    const ticket = url.searchParams.get('ticket');
    return ticket && !credential ? this.tickets.redeem(ticket) : this.auth.authenticate(credential);
  }

  /** As many query streams per key as live streams (API_STREAMS_PER_KEY): a key cannot hold open unbounded queries. */
  private admit(principal: Principal): void {
    const key = principal.apiKeyId ?? principal.organisationId ?? 'admin';
    const open = this.perKey.get(key) ?? 0;
    if (open >= this.config.apiStreamsPerKey)
      throw new CommonError(
        CommonErrorCode.RATE_LIMITED,
        `At most ${this.config.apiStreamsPerKey} open streams per key.`,
      );
    this.perKey.set(key, open + 1);
  }

  private serve(session: StreamSession, principal: Principal): void {
    const key = principal.apiKeyId ?? principal.organisationId ?? 'admin';
    const push = () => void this.push(session);
    const feed = this.live.items.subscribe((item) => item.type === 'event' && push());
    const timer = setInterval(push, POLL_MS);
    session.socket.on('close', () => {
      feed.unsubscribe();
      clearInterval(timer);
      this.perKey.set(key, Math.max(0, (this.perKey.get(key) ?? 1) - 1));
    });
  }

  /** Sends what is new since the session's cursor; one push at a time, a wake-up during one runs it again. */
  private async push(session: StreamSession): Promise<void> {
    if (session.busy) {
      session.again = true;
      return;
    }
    session.busy = true;
    try {
      do {
        session.again = false;
        const batch = await this.events.afterCommit(session.params, session.scope, session.cursor, BATCH);
        const last = batch[batch.length - 1];
        if (!last) break;
        session.socket.send(JSON.stringify(this.events.queryDocument(batch, undefined, session.name)));
        session.cursor = { value: last.commitTx, hash: last.digest.toString('hex') };
        session.again ||= batch.length === BATCH;
      } while (session.again && session.socket.readyState === session.socket.OPEN);
    } catch (error) {
      this.logger.warn({ err: error }, `query stream ${session.name} failed`);
      session.socket.close(1011, 'query failed');
    } finally {
      session.busy = false;
    }
  }
}
