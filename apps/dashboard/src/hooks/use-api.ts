import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isAbort } from '../api/api-error';
import { type PageId, useApp } from './app-context';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True while a request is in flight (the previous data stays shown). */
  loading: boolean;
  reload: () => void;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/**
 * Loads from the API, aborting the previous request when the inputs change. A 403 marks the page as forbidden
 * for this role, so that the navigation can hide it.
 */
export function useApi<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: { page?: PageId; enabled?: boolean } = {},
): Resource<T> {
  const { markForbidden } = useApp();
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(options.enabled !== false);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const enabled = options.enabled !== false;
  const page = options.page;

  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setDataState(value);
        setError(undefined);
        setLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        const apiError = cause instanceof ApiError ? cause : ApiError.network(cause);
        if (apiError.forbidden && page) markForbidden(page);
        setError(apiError);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation, enabled]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) => setDataState(update),
    [],
  );
  return { data, error, loading, reload, setData };
}
