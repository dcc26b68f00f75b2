import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Stack,
  TextField,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Language, type Role, type User } from '../api';
import { errorMessage, fieldErrors } from '../errors';
import { roleLabel } from '../roles';

interface Props {
  open: boolean;
  orgId: string;
  /** The user whose role changes; null to invite one. */
  user: User | null;
  roles: Role[];
  language: Language;
  onClose: () => void;
  onSaved: (user: User, created: boolean) => void;
}

/** "Ajouter utilisateur" (e-mail + rôle) or change the role of a user. */
export function UserDialog({ open, orgId, user, roles, language, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [roleId, setRoleId] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setEmail(user?.email ?? '');
    setRoleId(user?.role_id ?? '');
    setErrors({});
    setError(null);
    setBusy(false);
  }, [open, user]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!user && !email.trim()) local.email = t('common.required');
    if (!roleId) local.role_id = t('common.required');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    try {
      if (user) {
        const saved = await api.updateUser(orgId, user.id, { role_id: roleId });
        onSaved(saved ?? { ...user, role_id: roleId }, false);
      } else {
        const saved = await api.createUser(orgId, { email: email.trim(), role_id: roleId, language });
        onSaved(saved ?? ({ email: email.trim() } as User), true);
      }
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!f.email && !f.role_id) setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  // The user's current role may be missing from a partial list: keep it selectable.
  const options =
    user && user.role_id && !roles.some((r) => r.id === user.role_id)
      ? [...roles, { id: user.role_id, name: user.role_name, builtin: '' } as Role]
      : roles;

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="user-dialog">
      <form noValidate onSubmit={submit}>
        <DialogTitle sx={{ pr: 6 }}>
          {user ? t('usersTab.editTitle') : t('usersTab.addTitle')}
          <IconButton aria-label={t('common.close')} onClick={onClose} sx={{ position: 'absolute', right: 12, top: 12 }}>
            <CloseIcon />
          </IconButton>
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2.5} sx={{ pt: 1 }}>
            {error && (
              <Alert severity="error" data-testid="user-error">
                {error}
              </Alert>
            )}
            <TextField
              label={t('usersTab.email')}
              name="email"
              type="email"
              required={!user}
              autoFocus={!user}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              disabled={!!user}
              error={!!errors.email}
              helperText={errors.email ?? (user ? undefined : t('usersTab.inviteHelp'))}
              slotProps={{ htmlInput: { 'data-testid': 'user-email', readOnly: !!user } }}
            />
            <TextField
              select
              label={t('usersTab.role')}
              name="role_id"
              required
              value={roleId}
              onChange={(e) => setRoleId(e.target.value)}
              error={!!errors.role_id}
              helperText={errors.role_id}
              slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'user-role' }, inputLabel: { shrink: true } }}
            >
              <option value="" disabled>
                {t('usersTab.chooseRole')}
              </option>
              {options.map((r) => (
                <option key={r.id} value={r.id}>
                  {roleLabel(r, t)}
                </option>
              ))}
            </TextField>
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button type="submit" variant="contained" disabled={busy} data-testid="user-submit">
            {t('common.validate')}
          </Button>
          <Button variant="outlined" color="inherit" onClick={onClose} disabled={busy} data-testid="user-close">
            {t('common.close')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
