import { Alert, Box, Button, Link, Stack, TextField } from '@mui/material';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { PasswordField } from '../components/PasswordField';
import { errorMessage } from '../errors';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useSession } from '../session';

/** Only same-site paths are accepted as a post-login destination. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const { setMe } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retryUntil, setRetryUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const flash = (location.state as { flash?: string } | null)?.flash;

  useDocumentTitle(t('login.title'));

  const remaining = Math.max(0, Math.ceil((retryUntil - now) / 1000));

  useEffect(() => {
    if (retryUntil <= Date.now()) return;
    const id = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= retryUntil) clearInterval(id);
    }, 250);
    return () => clearInterval(id);
  }, [retryUntil]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || remaining > 0) return;
    if (!email.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await api.login(email.trim(), password);
      setMe(me);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(errorMessage(err, t));
      if (err instanceof ApiError && err.code === 'throttled') {
        const secs = err.retryAfterSeconds ?? 1;
        setNow(Date.now());
        setRetryUntil(Date.now() + secs * 1000);
      }
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('login.title')} subtitle={t('login.subtitle')}>
      <Box component="form" noValidate onSubmit={submit} data-testid="login-form">
        <Stack spacing={2.5}>
          {flash === 'passwordSet' && !error && (
            <Alert severity="success" data-testid="login-info">
              {t('login.passwordSet')}
            </Alert>
          )}
          {error && (
            <Alert severity="error" data-testid="login-error" role="alert">
              {error}
              {remaining > 0 && (
                <Box component="span" data-testid="login-countdown" sx={{ display: 'block', fontWeight: 600, mt: 0.5 }}>
                  {t('login.retryIn', { seconds: remaining })}
                </Box>
              )}
            </Alert>
          )}
          <TextField
            label={t('login.email')}
            name="email"
            type="email"
            autoComplete="username"
            autoFocus
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'login-email' } }}
          />
          <PasswordField
            label={t('login.password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            testId="login-password"
          />
          <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: '8px !important' }}>
            <Link component={RouterLink} to="/forgot-password" underline="hover" variant="body2" data-testid="login-forgot">
              {t('login.forgot')}
            </Link>
          </Box>
          <Button
            type="submit"
            variant="contained"
            size="large"
            fullWidth
            disabled={busy || remaining > 0}
            data-testid="login-submit"
            sx={{ py: 1.3 }}
          >
            {t('login.submit')}
          </Button>
        </Stack>
      </Box>
    </AuthLayout>
  );
}
