import { Alert, Box, Button, InputAdornment, TextField } from '@mui/material';
import SaveOutlinedIcon from '@mui/icons-material/SaveOutlined';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Manufacturer, type Recorder, type RecorderType, type Site } from '../../api';
import { useNotify } from '../../components/Notifier';
import { errorMessage, fieldErrors } from '../../errors';
import { MANUFACTURERS, MAX_CAMERAS, MAX_RETENTION_DAYS, MIN_CAMERAS, parseIntIn, RECORDER_TYPES } from '../../recorders';
import { StepHeader } from './StepHeader';

const FIELDS = ['name', 'manufacturer', 'site_id', 'type', 'camera_count', 'retention_days'];

/** Étape 1 — Détails de l'enregistreur, with the retention limit; SAUVEGARDER patches the recorder. */
export function DetailsStep({
  recorder,
  sites,
  canManage,
  onSaved,
}: {
  recorder: Recorder;
  sites: Site[];
  canManage: boolean;
  onSaved: (r: Recorder) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [name, setName] = useState(recorder.name);
  const [manufacturer, setManufacturer] = useState<Manufacturer>(recorder.manufacturer);
  const [type, setType] = useState<RecorderType>(recorder.type);
  const [cameras, setCameras] = useState(String(recorder.camera_count));
  const [siteId, setSiteId] = useState(recorder.site_id);
  const [retention, setRetention] = useState(String(recorder.retention_days));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setName(recorder.name);
    setManufacturer(recorder.manufacturer);
    setType(recorder.type);
    setCameras(String(recorder.camera_count));
    setSiteId(recorder.site_id);
    setRetention(String(recorder.retention_days));
  }, [recorder]);

  // The recorder's site stays selectable even when the list could not be read.
  const siteOptions = sites.some((s) => s.id === recorder.site_id)
    ? sites
    : [{ id: recorder.site_id, name: recorder.site_name } as Site, ...sites];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('common.required');
    const count = parseIntIn(cameras, MIN_CAMERAS, MAX_CAMERAS);
    if (count === null) local.camera_count = t('recorders.camerasRange');
    const days = parseIntIn(retention, 0, MAX_RETENTION_DAYS);
    if (days === null) local.retention_days = t('wizard.details.retentionRange');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    const body = { name: name.trim(), manufacturer, type, camera_count: count!, site_id: siteId, retention_days: days! };
    try {
      const saved = await api.updateRecorder(recorder.org_id, recorder.id, body);
      notify(t('wizard.details.saved'));
      onSaved(saved ?? { ...recorder, ...body });
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!Object.keys(f).length || Object.keys(f).some((k) => !FIELDS.includes(k))) setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const ro = !canManage;
  const select = (testId: string) => ({
    select: { native: true },
    htmlInput: { 'data-testid': testId },
    inputLabel: { shrink: true },
  });

  return (
    <Box component="form" noValidate onSubmit={submit}>
      <StepHeader n={1} title={t('wizard.steps.details')} />
      {ro && (
        <Alert severity="info" sx={{ mb: 2.5 }}>
          {t('wizard.details.readOnly')}
        </Alert>
      )}
      {error && (
        <Alert severity="error" sx={{ mb: 2.5 }} data-testid="wizard-error">
          {error}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
        <TextField
          select
          label={t('recorders.field.manufacturer')}
          value={manufacturer}
          onChange={(e) => setManufacturer(e.target.value as Manufacturer)}
          disabled={ro}
          error={!!errors.manufacturer}
          helperText={errors.manufacturer}
          slotProps={select('recorder-manufacturer')}
        >
          {MANUFACTURERS.map((m) => (
            <option key={m} value={m}>
              {t(`recorder.manufacturer.${m}`)}
            </option>
          ))}
        </TextField>
        <TextField
          label={t('recorders.field.name')}
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          disabled={ro}
          error={!!errors.name}
          helperText={errors.name}
          slotProps={{ htmlInput: { 'data-testid': 'recorder-name', maxLength: 200 } }}
        />
        <TextField
          select
          label={t('recorders.field.type')}
          value={type}
          onChange={(e) => setType(e.target.value as RecorderType)}
          disabled={ro}
          error={!!errors.type}
          helperText={errors.type}
          slotProps={select('recorder-type')}
        >
          {RECORDER_TYPES.map((k) => (
            <option key={k} value={k}>
              {t(`recorder.type.${k}`)}
            </option>
          ))}
        </TextField>
        <TextField
          label={t('recorders.field.cameras')}
          type="number"
          required
          value={cameras}
          onChange={(e) => setCameras(e.target.value)}
          disabled={ro}
          error={!!errors.camera_count}
          helperText={errors.camera_count ?? t('recorders.camerasEditHelp')}
          slotProps={{ htmlInput: { 'data-testid': 'recorder-cameras', min: MIN_CAMERAS, max: MAX_CAMERAS, step: 1, inputMode: 'numeric' } }}
        />
        <TextField
          select
          label={t('recorders.field.site')}
          value={siteId}
          onChange={(e) => setSiteId(e.target.value)}
          disabled={ro}
          error={!!errors.site_id}
          helperText={errors.site_id}
          slotProps={select('recorder-site')}
        >
          {siteOptions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </TextField>
        <TextField
          label={t('recorders.field.retention')}
          type="number"
          value={retention}
          onChange={(e) => setRetention(e.target.value)}
          disabled={ro}
          error={!!errors.retention_days}
          helperText={errors.retention_days ?? t('wizard.details.retentionHelp')}
          slotProps={{
            htmlInput: { 'data-testid': 'retention-days', min: 0, max: MAX_RETENTION_DAYS, step: 1, inputMode: 'numeric' },
            input: { endAdornment: <InputAdornment position="end">{t('wizard.details.days')}</InputAdornment> },
          }}
        />
      </Box>
      {canManage && (
        <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 3 }}>
          <Button type="submit" variant="contained" startIcon={<SaveOutlinedIcon />} disabled={busy} data-testid="wizard-save">
            {t('common.save')}
          </Button>
        </Box>
      )}
    </Box>
  );
}
