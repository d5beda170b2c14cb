import type { StreamMessages } from './types';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';
export type StreamName = keyof StreamMessages;
type Handler<K extends StreamName> = (data: StreamMessages[K]) => void;

const NAMES: readonly StreamName[] = ['stats', 'alert', 'event'];

/**
 * One EventSource to the API's SSE stream, shared by the whole app. The browser retries by itself after a dropped
 * connection; when it gives up (the server answered an error, or was down), this reconnects with a capped
 * exponential back-off.
 */
export class LiveStream {
  private source: EventSource | null = null;
  private readonly handlers = new Map<StreamName, Set<Handler<StreamName>>>();
  private readonly stateListeners = new Set<(state: StreamState, retryInMs: number | null) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = true;
  state: StreamState = 'closed';
  retryInMs: number | null = null;

  constructor(
    /** A fresh stream address for each connection (each carries a short-lived ticket). */
    private readonly url: () => Promise<string>,
    private readonly createSource: (url: string) => EventSource = (u) => new EventSource(u),
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.setState('closed', null);
  }

  on<K extends StreamName>(name: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
    }
    set.add(handler as Handler<StreamName>);
    return () => set.delete(handler as Handler<StreamName>);
  }

  onState(listener: (state: StreamState, retryInMs: number | null) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: StreamState, retryInMs: number | null): void {
    this.state = state;
    this.retryInMs = retryInMs;
    for (const listener of this.stateListeners) listener(state, retryInMs);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', null);
    this.url().then(
      (url) => this.open(url),
      () => this.retryLater(),
    );
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.attempt += 1;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.attempt - 1, 5));
    this.setState('reconnecting', delay);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private open(url: string): void {
    if (this.stopped) return;
    const source = this.createSource(url);
    this.source = source;
    source.onopen = () => {
      this.attempt = 0;
      this.setState('open', null);
    };
    source.onerror = () => {
      if (this.stopped || this.source !== source) return;
      if (source.readyState === EventSource.CONNECTING) {
        // The browser is retrying on its own.
        this.setState('reconnecting', null);
        return;
      }
      // Closed for good (an expired ticket, the server down): a new ticket, after a capped back-off.
      source.close();
      this.source = null;
      this.retryLater();
    };
    for (const name of NAMES) {
      source.addEventListener(name, (message: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return; // a malformed message is ignored, the stream goes on
        }
        for (const handler of this.handlers.get(name) ?? []) handler(data as StreamMessages[StreamName]);
      });
    }
  }
}
