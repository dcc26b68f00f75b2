import { Alert, Box, Button, CircularProgress, Link, Stack, Typography } from '@mui/material';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { PasswordField } from '../components/PasswordField';
import { PasswordPolicyList } from '../components/PasswordPolicyList';
import { errorMessage, fieldErrors } from '../errors';
import { formatDateTime } from '../format';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { usePasswordPolicy } from '../hooks/usePasswordPolicy';
import { useQuery } from '../hooks/useQuery';
import { checkPassword } from '../passwordPolicy';

export default function SetPasswordPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const policy = usePasswordPolicy();
  const info = useQuery(() => api.passwordToken(token), [token], token !== '');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [touchedConfirm, setTouchedConfirm] = useState(false);

  const email = info.data?.email ?? '';
  const checks = useMemo(() => checkPassword(password, email, policy.minLength, policy.rules), [password, email, policy]);
  const mismatch = confirm !== '' && confirm !== password;
  const title = info.data?.purpose === 'reset' ? t('setPassword.titleReset') : t('setPassword.titleInvite');
  useDocumentTitle(title);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouchedConfirm(true);
    if (!password || confirm !== password) {
      setError(confirm !== password ? t('policy.mismatch') : t('common.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.setPassword(token, password);
      navigate('/login', { replace: true, state: { flash: 'passwordSet' } });
    } catch (err) {
      const fields = fieldErrors(err);
      setError(fields.password ?? errorMessage(err, t));
      setBusy(false);
    }
  };

  const invalid = !token || (info.error instanceof ApiError && [400, 404, 410].includes(info.error.status));
  if (info.error && !invalid) {
    return (
      <AuthLayout title={t('setPassword.titleReset')}>
        <Alert
          severity="error"
          data-testid="setpw-error"
          action={
            <Button color="inherit" size="small" onClick={info.reload}>
              {t('common.retry')}
            </Button>
          }
        >
          {errorMessage(info.error, t)}
        </Alert>
      </AuthLayout>
    );
  }

  if (invalid) {
    return (
      <AuthLayout title={t('forgot.title')}>
        <Stack spacing={2.5}>
          <Alert severity="error" data-testid="setpw-invalid">
            {t('setPassword.invalid')}
          </Alert>
          <Button component={RouterLink} to="/forgot-password" variant="contained" data-testid="setpw-request-new">
            {t('setPassword.requestNew')}
          </Button>
          <Link component={RouterLink} to="/login" underline="hover" variant="body2" sx={{ alignSelf: 'center' }}>
            {t('common.backToLogin')}
          </Link>
        </Stack>
      </AuthLayout>
    );
  }

  if (info.loading || !info.data) {
    return (
      <AuthLayout title={t('setPassword.checking')}>
        <Box sx={{ display: 'flex', justifyContent: 'center', py: 3 }}>
          <CircularProgress aria-label={t('setPassword.checking')} />
        </Box>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={title}>
      <Box component="form" noValidate onSubmit={submit}>
        <Stack spacing={2.5}>
          <Box>
            <Typography data-testid="setpw-email" sx={{ fontWeight: 600 }}>
              {t('setPassword.account', { email })}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {t('setPassword.expires', { date: formatDateTime(info.data.expires_at, i18n.language) })}
            </Typography>
          </Box>
          {error && (
            <Alert severity="error" data-testid="setpw-error">
              {error}
            </Alert>
          )}
          {/* Helps password managers associate the new password with the account. */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          <PasswordField
            label={t('setPassword.password')}
            name="new-password"
            autoComplete="new-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            testId="setpw-password"
          />
          <PasswordField
            label={t('setPassword.confirm')}
            name="confirm-password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            onBlur={() => setTouchedConfirm(true)}
            error={touchedConfirm && mismatch}
            helperText={touchedConfirm && mismatch ? t('policy.mismatch') : ' '}
            testId="setpw-confirm"
          />
          <PasswordPolicyList checks={checks} minLength={policy.minLength} />
          <Button type="submit" variant="contained" size="large" disabled={busy} data-testid="setpw-submit" sx={{ py: 1.3 }}>
            {t('setPassword.submit')}
          </Button>
        </Stack>
      </Box>
    </AuthLayout>
  );
}
