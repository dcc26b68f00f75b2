import {
  Alert,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Permission, type Role } from '../api';
import { errorMessage, fieldErrors } from '../errors';
import { groupPermissions, roleLabel } from '../roles';

interface Props {
  open: boolean;
  orgId: string;
  role: Role | null;
  catalogue: Permission[];
  /** No roles.manage: show the role without editing. */
  readOnly: boolean;
  onClose: () => void;
  onSaved: (role: Role) => void;
}

/** "Ajouter un rôle" / edit role: a name and permission check-boxes grouped by group. */
export function RoleDialog({ open, orgId, role, catalogue, readOnly, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const groups = useMemo(() => groupPermissions(catalogue), [catalogue]);

  const isAdmin = role?.builtin === 'admin';
  const locked = readOnly || isAdmin;
  const nameLocked = locked || !!role?.builtin;

  useEffect(() => {
    if (!open) return;
    setName(role ? roleLabel(role, t) : '');
    setSelected(new Set(isAdmin ? catalogue.map((p) => p.key) : (role?.permissions ?? [])));
    setErrors({});
    setError(null);
    setBusy(false);
    // t changes with the language; the form keeps what the user typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, role, catalogue, isAdmin]);

  const toggle = (key: string) =>
    setSelected((cur) => {
      const next = new Set(cur);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const toggleGroup = (keys: string[], on: boolean) =>
    setSelected((cur) => {
      const next = new Set(cur);
      keys.forEach((k) => (on ? next.add(k) : next.delete(k)));
      return next;
    });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (locked) return;
    if (!nameLocked && !name.trim()) {
      setErrors({ name: t('common.required') });
      return;
    }
    setBusy(true);
    setErrors({});
    setError(null);
    // Keep the catalogue order in the request.
    const permissions = catalogue.map((p) => p.key).filter((k) => selected.has(k));
    try {
      const saved = role
        ? await api.updateRole(orgId, role.id, nameLocked ? { permissions } : { name: name.trim(), permissions })
        : await api.createRole(orgId, { name: name.trim(), permissions });
      onSaved(saved ?? { ...(role as Role), name: name.trim(), permissions });
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!f.name) setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  const title = !role ? t('roles.addTitle') : locked ? t('roles.viewTitle', { name: roleLabel(role, t) }) : t('roles.editTitle');

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="md" data-testid="role-dialog">
      <form noValidate onSubmit={submit}>
        <DialogTitle sx={{ pr: 6 }}>
          {title}
          <IconButton aria-label={t('common.close')} onClick={onClose} sx={{ position: 'absolute', right: 12, top: 12 }}>
            <CloseIcon />
          </IconButton>
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2.5} sx={{ pt: 1 }}>
            {isAdmin && (
              <Alert severity="info" data-testid="role-admin-locked">
                {t('roles.adminLocked')}
              </Alert>
            )}
            {error && (
              <Alert severity="error" data-testid="role-error">
                {error}
              </Alert>
            )}
            <TextField
              label={t('roles.name')}
              name="name"
              required
              autoFocus={!nameLocked}
              value={name}
              onChange={(e) => setName(e.target.value)}
              disabled={nameLocked}
              error={!!errors.name}
              helperText={errors.name ?? (role?.builtin && !isAdmin && !readOnly ? t('roles.builtinNameLocked') : undefined)}
              slotProps={{ htmlInput: { 'data-testid': 'role-name', maxLength: 100 } }}
            />
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                {t('roles.permissions')}
              </Typography>
              {errors.permissions && (
                <Typography color="error" variant="body2" sx={{ mb: 1 }}>
                  {errors.permissions}
                </Typography>
              )}
              <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 1.5 }}>
                {groups.map(({ group, keys }) => {
                  const count = keys.filter((k) => selected.has(k)).length;
                  const groupLabel = t(`permgroup.${group}`, { defaultValue: group });
                  return (
                    <Paper key={group} variant="outlined" sx={{ p: 1.5 }} data-testid={`permgroup-${group}`}>
                      <FormControlLabel
                        label={<Typography sx={{ fontWeight: 700 }}>{groupLabel}</Typography>}
                        control={
                          <Checkbox
                            checked={count === keys.length}
                            indeterminate={count > 0 && count < keys.length}
                            onChange={(e) => toggleGroup(keys, e.target.checked)}
                            disabled={locked}
                            slotProps={{ input: { 'aria-label': t('roles.selectGroup', { group: groupLabel }) } as object }}
                          />
                        }
                      />
                      <Box sx={{ display: 'flex', flexDirection: 'column', pl: 3.5 }}>
                        {keys.map((key) => (
                          <FormControlLabel
                            key={key}
                            label={t(`perm.${key}`, { defaultValue: key })}
                            control={
                              <Checkbox
                                checked={selected.has(key)}
                                onChange={() => toggle(key)}
                                disabled={locked}
                                slotProps={{ input: { 'data-testid': `perm-${key}`, name: key } as object }}
                              />
                            }
                          />
                        ))}
                      </Box>
                    </Paper>
                  );
                })}
              </Box>
            </Box>
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          {!locked && (
            <Button type="submit" variant="contained" disabled={busy} data-testid="role-submit">
              {t('common.validate')}
            </Button>
          )}
          <Button variant="outlined" color="inherit" onClick={onClose} disabled={busy} data-testid="role-close">
            {t('common.close')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
