import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, type Language, type Me, type Preferences } from './api';
import i18n, { detectLanguage } from './i18n';

export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

export interface SessionValue {
  /** The signed-in user, or null before /me answered or when signed out. */
  me: Me | null;
  /** Effective preferences: the user's, or defaults before login. */
  prefs: Preferences;
  saveState: SaveState;
  /** Stores the answer of login or /me. */
  setMe: (me: Me) => void;
  /** GET /me; resolves null when not signed in. */
  loadMe: () => Promise<Me | null>;
  /** Applies preferences at once and saves them (debounced PATCH /me/preferences). */
  updatePreferences: (p: Partial<Preferences>) => void;
  /** Language used before login (login page switch). */
  setAnonymousLanguage: (lang: Language) => void;
  logout: () => Promise<void>;
  /** Forgets the session locally (after a 401). */
  clear: () => void;
  can: (permission: string) => boolean;
}

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  language: 'en',
  density: 'comfortable',
  rows_per_page: 10,
};

// Requests carry the UI language (Accept-Language) so server messages come back in it.
api.configure({ getLanguage: () => i18n.resolvedLanguage ?? i18n.language });

const SessionContext = createContext<SessionValue | null>(null);

const SAVE_DELAY_MS = 400;

export function SessionProvider({ children, initialMe = null }: { children: ReactNode; initialMe?: Me | null }) {
  const [me, setMeState] = useState<Me | null>(initialMe);
  const [anonLanguage, setAnonLanguage] = useState<Language>(() => detectLanguage());
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const pending = useRef<Partial<Preferences>>({});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const meRef = useRef<Me | null>(initialMe);
  meRef.current = me;

  const prefs: Preferences = useMemo(
    () => (me ? { ...DEFAULT_PREFERENCES, ...me.preferences } : { ...DEFAULT_PREFERENCES, language: anonLanguage }),
    [me, anonLanguage],
  );

  useEffect(() => {
    if (i18n.language !== prefs.language) void i18n.changeLanguage(prefs.language);
    document.documentElement.lang = prefs.language;
  }, [prefs.language]);

  const setMe = useCallback((next: Me) => {
    if (next.csrf_token) api.setCsrfToken(next.csrf_token);
    setMeState(next);
  }, []);

  const loadMe = useCallback(async () => {
    try {
      const next = await api.me();
      setMe(next);
      return next;
    } catch (e) {
      if (e instanceof Error && 'status' in e && (e as { status: number }).status === 401) {
        setMeState(null);
        return null;
      }
      throw e;
    }
  }, [setMe]);

  const flush = useCallback(async () => {
    const body = pending.current;
    pending.current = {};
    if (Object.keys(body).length === 0) return;
    setSaveState('saving');
    try {
      await api.updatePreferences(body);
      setSaveState(Object.keys(pending.current).length ? 'saving' : 'saved');
    } catch {
      setSaveState('error');
    }
  }, []);

  const updatePreferences = useCallback(
    (p: Partial<Preferences>) => {
      if (p.language) setAnonLanguage(p.language);
      if (!meRef.current) return;
      setMeState((cur) => (cur ? { ...cur, preferences: { ...cur.preferences, ...p } } : cur));
      pending.current = { ...pending.current, ...p };
      setSaveState('saving');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    },
    [flush],
  );

  useEffect(() => () => clearTimeout(timer.current), []);

  const clear = useCallback(() => {
    clearTimeout(timer.current);
    pending.current = {};
    // Keep the user's language on the login page that follows.
    if (meRef.current) setAnonLanguage(meRef.current.preferences.language);
    setMeState(null);
    api.setCsrfToken(undefined);
  }, []);

  useEffect(() => {
    // A 401 on any call means the session is gone: forget it; RequireAuth sends the user to /login.
    api.configure({ onUnauthenticated: () => clear() });
  }, [clear]);

  const logout = useCallback(async () => {
    // Save pending preferences before the session goes away.
    clearTimeout(timer.current);
    await flush().catch(() => undefined);
    try {
      await api.logout();
    } finally {
      clear();
    }
  }, [clear, flush]);

  const can = useCallback((permission: string) => !!me?.permissions.includes(permission), [me]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      prefs,
      saveState,
      setMe,
      loadMe,
      updatePreferences,
      setAnonymousLanguage: setAnonLanguage,
      logout,
      clear,
      can,
    }),
    [me, prefs, saveState, setMe, loadMe, updatePreferences, logout, clear, can],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user; only for pages inside the authenticated shell. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}
