import { Alert, Box, Button, FormControlLabel, Stack, Switch, TextField, Typography } from '@mui/material';
import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import SaveOutlinedIcon from '@mui/icons-material/SaveOutlined';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Camera } from '../../api';
import { aiPatch } from '../../ai';
import { aiDraftOf, CameraAiSettings } from '../../components/CameraAiSettings';
import type { AiContext } from '../../hooks/useAi';
import { useNotify } from '../../components/Notifier';
import { errorMessage, fieldErrors } from '../../errors';

function SwitchRow({
  label,
  checked,
  onChange,
  disabled,
  testId,
  info,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
  testId: string;
  info?: ReactNode;
}) {
  return (
    <Box>
      <FormControlLabel
        control={
          <Switch
            checked={checked}
            onChange={(e) => onChange(e.target.checked)}
            disabled={disabled}
            slotProps={{ input: { 'data-testid': testId } as object }}
          />
        }
        label={label}
        sx={{ '& .MuiFormControlLabel-label': { fontWeight: 600 } }}
      />
      {info && (
        <Typography variant="body2" color="text.secondary" sx={{ display: 'flex', alignItems: 'center', gap: 0.75, ml: 6.5, mt: -0.5 }}>
          <InfoOutlinedIcon sx={{ fontSize: 16 }} />
          {info}
        </Typography>
      )}
    </Box>
  );
}

/** The selected camera of the wizard's step 4: read-only identity, name, cloud recording and AI. */
export function CameraForm({
  orgId,
  camera,
  canEdit,
  onSaved,
  ai: aiCtx,
}: {
  orgId: string;
  camera: Camera;
  canEdit: boolean;
  onSaved: (c: Camera) => void;
  /** The AI subscription and catalogue (loaded once by the step). */
  ai: AiContext;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [name, setName] = useState(camera.name);
  const [cloud, setCloud] = useState(camera.cloud_recording);
  const [ai, setAi] = useState(aiDraftOf(camera));
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('common.required'));
      return;
    }
    setNameError(undefined);
    setError(null);
    setBusy(true);
    const body = { name: name.trim(), cloud_recording: cloud, ...aiPatch(camera, ai) };
    try {
      const saved = (await api.updateCamera(orgId, camera.id, body)) ?? { ...camera, ...body };
      notify(t('wizard.cameras.saved', { name: saved.name }));
      aiCtx.reload();
      onSaved(saved);
    } catch (err) {
      const f = fieldErrors(err);
      if (f.name) setNameError(f.name);
      else setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const ro = { readOnly: true };
  return (
    <Box component="form" noValidate onSubmit={submit} data-testid="camera-form" data-camera-id={camera.id}>
      <Stack spacing={2.5}>
        {error && (
          <Alert severity="error" data-testid="camera-error">
            {error}
          </Alert>
        )}
        {!canEdit && <Alert severity="info">{t('wizard.cameras.readOnly')}</Alert>}
        <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
          <TextField
            label={t('wizard.cameras.number')}
            value={camera.number}
            slotProps={{ htmlInput: { ...ro, 'data-testid': 'camera-number' } }}
            variant="filled"
          />
          <TextField label={t('wizard.cameras.recorderName')} value={camera.recorder_name} slotProps={{ htmlInput: ro }} variant="filled" />
          <TextField label={t('wizard.cameras.siteName')} value={camera.site_name} slotProps={{ htmlInput: ro }} variant="filled" />
          <TextField
            label={t('wizard.cameras.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            disabled={!canEdit}
            error={!!nameError}
            helperText={nameError}
            slotProps={{ htmlInput: { 'data-testid': 'camera-name', maxLength: 100 } }}
          />
        </Box>
        <SwitchRow
          label={t('wizard.cameras.cloud')}
          checked={cloud}
          onChange={setCloud}
          disabled={!canEdit}
          testId="camera-cloud"
          info={cloud ? t('wizard.cameras.cloudInfo') : t('wizard.cameras.cloudOffInfo')}
        />
        <CameraAiSettings camera={camera} value={ai} onChange={setAi} ctx={aiCtx} disabled={!canEdit} />
        {canEdit && (
          <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Button type="submit" variant="contained" startIcon={<SaveOutlinedIcon />} disabled={busy} data-testid="camera-save">
              {t('common.save')}
            </Button>
          </Box>
        )}
      </Stack>
    </Box>
  );
}
