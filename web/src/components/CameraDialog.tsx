import {
  Alert,
  Autocomplete,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Camera, type CameraPatch, type User } from '../api';
import { aiPatch } from '../ai';
import { errorMessage, fieldErrors } from '../errors';
import { useAi } from '../hooks/useAi';
import { aiDraftOf, CameraAiSettings, type AiDraft } from './CameraAiSettings';

interface Props {
  open: boolean;
  orgId: string;
  camera: Camera | null;
  /** The organisation's users; null when they can't be listed (no users.view). */
  users: User[] | null;
  onClose: () => void;
  onSaved: (camera: Camera) => void;
}

const userLabel = (u: User) => (u.name ? `${u.name} (${u.email})` : u.email);

/** "Modifier" a camera: name, cloud recording, AI and the users allowed to see it. */
export function CameraDialog({ open, orgId, camera, users, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [cloud, setCloud] = useState(false);
  const [ai, setAi] = useState<AiDraft>({ ai: false, holo4: false, algorithms: [] });
  const aiCtx = useAi(orgId, open);
  const [allowed, setAllowed] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open || !camera) return;
    setName(camera.name);
    setCloud(camera.cloud_recording);
    setAi(aiDraftOf(camera));
    setAllowed(camera.allowed_users ?? []);
    setErrors({});
    setError(null);
    setBusy(false);
  }, [open, camera]);

  // Users already allowed but missing from the list (e.g. beyond the first page) stay shown by id.
  const options = useMemo(() => {
    const list = users ?? [];
    const known = new Set(list.map((u) => u.id));
    return [...list, ...allowed.filter((id) => !known.has(id)).map((id) => ({ id, email: id, name: '' }) as User)];
  }, [users, allowed]);
  const byId = useMemo(() => new Map(options.map((u) => [u.id, u])), [options]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!camera) return;
    if (!name.trim()) {
      setErrors({ name: t('common.required') });
      return;
    }
    setErrors({});
    setError(null);
    setBusy(true);
    const body: CameraPatch = { name: name.trim(), cloud_recording: cloud, ...aiPatch(camera, ai) };
    if (users) body.allowed_users = allowed;
    try {
      const saved = await api.updateCamera(orgId, camera.id, body);
      aiCtx.reload();
      onSaved(saved ?? { ...camera, ...body, allowed_users: body.allowed_users ?? camera.allowed_users });
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!f.name) setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="camera-dialog">
      <form noValidate onSubmit={submit}>
        <DialogTitle sx={{ pr: 6 }}>
          {t('cameras.editTitle')}
          {camera && (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              {t('cameras.cameraOf', { number: camera.number, recorder: camera.recorder_name, site: camera.site_name })}
            </Typography>
          )}
          <IconButton aria-label={t('common.close')} onClick={onClose} sx={{ position: 'absolute', right: 12, top: 12 }}>
            <CloseIcon />
          </IconButton>
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {error && (
              <Alert severity="error" data-testid="camera-error">
                {error}
              </Alert>
            )}
            <TextField
              label={t('wizard.cameras.name')}
              required
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={!!errors.name}
              helperText={errors.name}
              slotProps={{ htmlInput: { 'data-testid': 'camera-name', maxLength: 100 } }}
            />
            <FormControlLabel
              control={
                <Switch checked={cloud} onChange={(e) => setCloud(e.target.checked)} slotProps={{ input: { 'data-testid': 'camera-cloud' } as object }} />
              }
              label={t('wizard.cameras.cloud')}
            />
            {camera && <CameraAiSettings camera={camera} value={ai} onChange={setAi} ctx={aiCtx} />}
            {users ? (
              <Autocomplete
                multiple
                options={options.map((u) => u.id)}
                value={allowed}
                onChange={(_, v) => setAllowed(v)}
                getOptionLabel={(id) => {
                  const u = byId.get(id);
                  return u ? userLabel(u) : id;
                }}
                filterSelectedOptions
                noOptionsText={t('cameras.noUsers')}
                renderValue={(value, getItemProps) =>
                  value.map((id, index) => {
                    const { key, ...rest } = getItemProps({ index });
                    const u = byId.get(id);
                    return <Chip key={key} size="small" label={u ? u.name || u.email : id} {...rest} />;
                  })
                }
                renderInput={(params) => (
                  <TextField
                    {...params}
                    label={t('cameras.allowedUsers')}
                    placeholder={allowed.length ? undefined : t('cameras.allUsers')}
                    error={!!errors.allowed_users}
                    helperText={errors.allowed_users ?? t('cameras.allowedHelp')}
                    inputProps={{ ...params.inputProps, 'data-testid': 'camera-users' }}
                  />
                )}
              />
            ) : (
              <Alert severity="info" data-testid="camera-users-unavailable">
                {t('cameras.usersUnavailable')}
              </Alert>
            )}
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button type="submit" variant="contained" disabled={busy} data-testid="camera-save">
            {t('common.validate')}
          </Button>
          <Button variant="outlined" color="inherit" onClick={onClose} disabled={busy} data-testid="camera-close">
            {t('common.close')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
