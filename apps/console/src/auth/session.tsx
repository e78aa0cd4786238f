import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { ReadOf } from '../api/responses';

/** The signed-in user and the CSRF token of the session, as /api/auth/me answers. */
export type Session = ReadOf<'/api/auth/me'>;
export type SessionUser = Session['user'];
export type Role = SessionUser['role'];

interface SessionState {
  user: SessionUser | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  setTimeZone(zone: string): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Who is signed in. The cookie is HttpOnly; the CSRF token comes from /api/auth/me and stays in memory. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loading, setLoading] = useState(true);
  const queryClient = useQueryClient();

  const accept = useCallback((session: Session | null) => {
    setCsrfToken(session?.csrfToken ?? null);
    setUser(session?.user ?? null);
  }, []);

  useEffect(() => {
    api
      .get<Session>('/api/auth/me')
      .then(accept)
      .catch((error: unknown) => {
        if (!(error instanceof ApiError) || error.status !== 401) console.warn(error);
        accept(null);
      })
      .finally(() => setLoading(false));
  }, [accept]);

  const value: SessionState = {
    user,
    loading,
    async signIn(email, password) {
      accept(await api.post<Session>('/api/auth/login', { email, password }));
    },
    async signOut() {
      await api.post('/api/auth/logout').catch(() => undefined);
      accept(null);
      queryClient.clear();
    },
    async setTimeZone(zone) {
      accept(await api.put<Session>('/api/auth/me/preferences', { timeZone: zone }));
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in user (the routes below the shell only render with one). */
export function useUser(): SessionUser {
  const { user } = useSession();
  if (!user) throw new Error('no signed-in user');
  return user;
}
