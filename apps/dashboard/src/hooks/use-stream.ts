import { useEffect, useRef, useState } from 'react';
import type { StreamName, StreamState } from '../api/stream';
import type { StreamMessages } from '../api/types';
import { useApp } from './app-context';

/** Calls `handler` for every message of one kind on the shared SSE stream. */
export function useStreamEvent<K extends StreamName>(
  name: K,
  handler: (data: StreamMessages[K]) => void,
): void {
  const { stream } = useApp();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => stream.on(name, (data) => ref.current(data)), [stream, name]);
}

export function useStreamState(): { state: StreamState; retryInMs: number | null } {
  const { stream } = useApp();
  const [value, setValue] = useState({ state: stream.state, retryInMs: stream.retryInMs });
  useEffect(() => stream.onState((state, retryInMs) => setValue({ state, retryInMs })), [stream]);
  return value;
}
