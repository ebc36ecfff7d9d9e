'use client';
// React helpers over the client: load a path, keep the last good answer, reload on demand.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure, apiGet } from './client';

export interface ApiResource<T> {
  /** The last answer (kept while a reload is in flight or after a failed reload). */
  data: T | undefined;
  /** The failure of the latest load, if it failed. */
  error: ApiFailure | undefined;
  loading: boolean;
  /** Load again now; resolves when done. */
  reload: () => Promise<void>;
}

/**
 * GET `path` (null: nothing to load yet) on mount and whenever `path` changes; `refreshMs`
 * reloads on a timer too. Answers to an older path are dropped.
 */
export function useApi<T>(path: string | null, opts: { refreshMs?: number } = {}): ApiResource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiFailure | undefined>(undefined);
  const [loading, setLoading] = useState<boolean>(path !== null);
  const current = useRef(path);
  current.current = path;

  const reload = useCallback(async () => {
    const asked = current.current;
    if (asked === null) return;
    setLoading(true);
    try {
      const answer = await apiGet<T>(asked);
      if (current.current !== asked) return;
      setData(answer);
      setError(undefined);
    } catch (e) {
      if (current.current !== asked) return;
      setError(e instanceof ApiFailure ? e : new ApiFailure(0, 'client', (e as Error).message));
    } finally {
      if (current.current === asked) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    if (path === null) return;
    void reload();
    if (!opts.refreshMs) return;
    const timer = setInterval(() => void reload(), opts.refreshMs);
    return () => clearInterval(timer);
  }, [path, opts.refreshMs, reload]);

  return { data, error, loading, reload };
}
