import { Alert, Box, Button, Paper, Stack } from '@mui/material';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { PageHeader } from '../components/PageHeader';
import { PasswordField } from '../components/PasswordField';
import { PasswordPolicyList } from '../components/PasswordPolicyList';
import { usePageTitle } from '../components/ShellContext';
import { errorMessage, fieldErrors } from '../errors';
import { usePasswordPolicy } from '../hooks/usePasswordPolicy';
import { checkPassword } from '../passwordPolicy';
import { useMe } from '../session';

/** Changer le mot de passe: ancien, nouveau, confirmation, with the policy checked live. */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const policy = usePasswordPolicy();
  usePageTitle(t('changePassword.title'));
  const [oldPw, setOldPw] = useState('');
  const [newPw, setNewPw] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [success, setSuccess] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const checks = useMemo(() => checkPassword(newPw, me.user.email, policy.minLength, policy.rules), [newPw, me.user.email, policy]);
  const mismatch = confirm !== '' && confirm !== newPw;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSuccess(false);
    const local: Record<string, string> = {};
    if (!oldPw) local.old_password = t('common.required');
    if (!newPw) local.new_password = t('common.required');
    if (confirm !== newPw) local.confirm_password = t('policy.mismatch');
    setErrors(local);
    if (Object.keys(local).length) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(oldPw, newPw, confirm);
      setSuccess(true);
      setOldPw('');
      setNewPw('');
      setConfirm('');
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader subtitle={t('changePassword.subtitle')} />
      <Paper variant="outlined" sx={{ p: { xs: 2.5, sm: 4 }, maxWidth: 560 }}>
        <Box component="form" noValidate onSubmit={submit}>
          <Stack spacing={2.5}>
            {success && (
              <Alert severity="success" data-testid="pw-success">
                {t('changePassword.success')}
              </Alert>
            )}
            {error && (
              <Alert severity="error" data-testid="pw-error">
                {error}
              </Alert>
            )}
            <input type="email" name="username" autoComplete="username" value={me.user.email} readOnly hidden />
            <PasswordField
              label={t('changePassword.old')}
              name="old_password"
              autoComplete="current-password"
              value={oldPw}
              onChange={(e) => setOldPw(e.target.value)}
              error={!!errors.old_password}
              helperText={errors.old_password}
              testId="pw-old"
            />
            <PasswordField
              label={t('changePassword.new')}
              name="new_password"
              autoComplete="new-password"
              value={newPw}
              onChange={(e) => setNewPw(e.target.value)}
              error={!!errors.new_password}
              helperText={errors.new_password}
              testId="pw-new"
            />
            <PasswordField
              label={t('changePassword.confirm')}
              name="confirm_password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              error={!!errors.confirm_password || mismatch}
              helperText={errors.confirm_password ?? (mismatch ? t('policy.mismatch') : undefined)}
              testId="pw-confirm"
            />
            <PasswordPolicyList checks={checks} minLength={policy.minLength} />
            <Button type="submit" variant="contained" size="large" disabled={busy} data-testid="pw-submit" sx={{ alignSelf: 'flex-start' }}>
              {t('changePassword.submit')}
            </Button>
          </Stack>
        </Box>
      </Paper>
    </>
  );
}
