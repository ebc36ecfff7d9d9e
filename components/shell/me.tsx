'use client';
// The signed-in user (GET /api/v1/auth/me), loaded once by the shell and shared with every page.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiFailure, apiGet } from '../api/client';
import type { Me } from '../api/types';

export interface MeState {
  /** undefined while loading; null when unknown (the endpoint is missing or failed). */
  me: Me | null | undefined;
  error?: string;
  reload: () => void;
}

const MeContext = createContext<MeState>({ me: undefined, reload: () => {} });

export function MeProvider({ children, skip = false }: { children: ReactNode; skip?: boolean }) {
  const [state, setState] = useState<{ me: Me | null | undefined; error?: string }>({ me: undefined });
  const load = useCallback(() => {
    apiGet<Me>('/auth/me').then(
      (me) => setState({ me }),
      (e: unknown) => {
        // 401 redirects to /login from the client; anything else: carry on without roles.
        const msg = e instanceof ApiFailure ? e.message : String(e);
        setState({ me: null, error: msg });
      },
    );
  }, []);
  useEffect(() => {
    if (!skip) load();
  }, [skip, load]);
  return <MeContext.Provider value={{ ...state, reload: load }}>{children}</MeContext.Provider>;
}

export function useMe(): MeState {
  return useContext(MeContext);
}
