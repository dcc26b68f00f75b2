import { Alert, Box, Button, Link, Stack, TextField } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { api, ApiError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { errorMessage } from '../errors';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(t('forgot.title'));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) {
      setError(t('common.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.forgotPassword(email.trim());
      setSent(true);
    } catch (err) {
      // Only throttling, a malformed address or an outage are told apart; never whether the account exists.
      if (err instanceof ApiError && (err.code === 'throttled' || err.code === 'invalid' || err.status === 0 || err.status >= 500)) {
        setError(errorMessage(err, t));
      } else {
        setSent(true);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('forgot.title')} subtitle={t('forgot.subtitle')}>
      <Box component="form" noValidate onSubmit={submit}>
        <Stack spacing={2.5}>
          {sent && (
            <Alert severity="success" data-testid="forgot-success">
              {t('forgot.sent')}
            </Alert>
          )}
          {error && (
            <Alert severity="error" data-testid="forgot-error">
              {error}
            </Alert>
          )}
          <TextField
            label={t('login.email')}
            name="email"
            type="email"
            autoComplete="username"
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'forgot-email' } }}
          />
          <Button type="submit" variant="contained" size="large" disabled={busy} data-testid="forgot-submit" sx={{ py: 1.3 }}>
            {t('forgot.submit')}
          </Button>
          <Link component={RouterLink} to="/login" underline="hover" variant="body2" sx={{ alignSelf: 'center' }} data-testid="back-to-login">
            {t('common.backToLogin')}
          </Link>
        </Stack>
      </Box>
    </AuthLayout>
  );
}
