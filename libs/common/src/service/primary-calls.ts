import cluster, { type Worker } from 'node:cluster';

const CALL_TIMEOUT_MS = 5_000;

type Handler = (...args: never[]) => unknown;

interface CallMessage {
  type: 'pedigree:call';
  id: number;
  method: string;
  args: unknown[];
}
interface ReplyMessage {
  type: 'pedigree:reply';
  id: number;
  result?: unknown;
  error?: string;
}

const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextCallId = 1;

/**
 * Calls a function the cluster's primary serves (state that must be one for all workers, such as rate-limit
 * counters): one message each way over the IPC channel, which a worker waits for.
 */
export function primaryCall<T>(method: string, args: unknown[]): Promise<T> {
  if (!cluster.isWorker || !process.send) return Promise.reject(new Error('not a cluster worker'));
  const id = nextCallId++;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the cluster primary did not answer ${method} within ${CALL_TIMEOUT_MS} ms`));
    }, CALL_TIMEOUT_MS);
    pending.set(id, {
      resolve: (value) => (clearTimeout(timer), resolve(value as T)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    process.send!({ type: 'pedigree:call', id, method, args } satisfies CallMessage);
  });
}

/** In a worker: settles its {@link primaryCall}s as the primary answers (once, at start-up). */
export function listenForReplies(): void {
  process.on('message', (message: ReplyMessage) => {
    if (message?.type !== 'pedigree:reply') return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) call?.reject(new Error(message.error));
    else call?.resolve(message.result);
  });
}

const handlers = new Map<string, Handler>();
let serving = false;

/** In the primary: answers workers' {@link primaryCall}s with these handlers (added to those already served). */
export function servePrimaryCalls(added: Record<string, Handler>): void {
  for (const [method, handler] of Object.entries(added)) handlers.set(method, handler);
  if (serving) return;
  serving = true;
  cluster.on('message', (worker: Worker, message: CallMessage) => {
    if (message?.type !== 'pedigree:call') return;
    const handler = handlers.get(message.method);
    const reply = (body: Omit<ReplyMessage, 'type' | 'id'>) =>
      worker.isConnected() && worker.send({ type: 'pedigree:reply', id: message.id, ...body });
    if (!handler) return void reply({ error: `no primary handler for ${message.method}` });
    Promise.resolve()
      .then(() => (handler as (...args: unknown[]) => unknown)(...message.args))
      .then(
        (result) => reply({ result }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      );
  });
}
