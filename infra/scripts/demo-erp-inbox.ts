import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';

export const ERP_INBOX_PORT = 3008;

export interface ErpInbox {
  url: string;
  /** Deliveries accepted, events in them, and deliveries refused for a bad signature. */
  stats: () => { deliveries: number; events: number; badSignatures: number };
  close: () => Promise<void>;
}

/**
 * A member's ERP inbox for the demo: the webhook an EPCIS subscription delivers to. It checks each delivery's
 * `GS1-Signature` against the shared token (refusing a forged one with 401, which the sender retries), appends one
 * line per delivery to its log, and answers 204.
 */
export async function startErpInbox(logPath: string, token: string): Promise<ErpInbox> {
  const log = createWriteStream(logPath, { flags: 'a' });
  const stats = { deliveries: 0, events: 0, badSignatures: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', token).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['gs1-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        stats.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const document = JSON.parse(body.toString('utf8')) as {
        epcisBody: {
          queryResults: { queryName: string; resultsBody: { eventList: { bizStep?: string }[] } };
        };
      };
      const { queryName, resultsBody } = document.epcisBody.queryResults;
      stats.deliveries++;
      stats.events += resultsBody.eventList.length;
      log.write(
        `${new Date().toISOString()} ${queryName}: ${resultsBody.eventList.length} events (${String(req.headers['pedigree-delivery-id'])})\n`,
      );
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(ERP_INBOX_PORT, '127.0.0.1', resolve),
  );
  return {
    url: `http://127.0.0.1:${ERP_INBOX_PORT}/epcis/inbox`,
    stats: () => ({ ...stats }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      log.end();
    },
  };
}
