import { Alert, Box, Button, CircularProgress } from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { errorMessage } from '../errors';
import { useSession } from '../session';

/** Renders its children once GET /me answered; sends signed-out visitors to /login. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, loadMe } = useSession();
  const location = useLocation();
  const [state, setState] = useState<'loading' | 'anonymous' | 'error' | 'ready'>(me ? 'ready' : 'loading');
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (me) {
      setState('ready');
      return;
    }
    let live = true;
    setState('loading');
    loadMe().then(
      (m) => live && setState(m ? 'ready' : 'anonymous'),
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setState('error');
      },
    );
    return () => {
      live = false;
    };
    // Only on first mount and on retry: a session cleared later (401, logout) redirects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  if (state === 'anonymous' || (state === 'ready' && !me)) {
    const next = location.pathname + location.search;
    return <Navigate to={next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login'} replace />;
  }
  if (state === 'error') {
    return (
      <Box sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', p: 3 }}>
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={() => setAttempt((n) => n + 1)}>
              {t('common.retry')}
            </Button>
          }
        >
          {errorMessage(error, t)}
        </Alert>
      </Box>
    );
  }
  if (state === 'loading' || !me) {
    return (
      <Box sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>
        <CircularProgress aria-label={t('common.loading')} />
      </Box>
    );
  }
  return <>{children}</>;
}
