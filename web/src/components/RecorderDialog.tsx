import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import CheckCircleOutlineIcon from '@mui/icons-material/CheckCircleOutline';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Manufacturer, type Recorder, type RecorderBody, type RecorderType, type Site } from '../api';
import { errorMessage, fieldErrors } from '../errors';
import { MANUFACTURERS, MAX_CAMERAS, MIN_CAMERAS, parseIntIn, RECORDER_TYPES } from '../recorders';

interface Props {
  open: boolean;
  orgId: string;
  /** The recorder to edit; null to add one. */
  recorder: Recorder | null;
  /** The organisation's sites (the first is the default). */
  sites: Site[];
  onClose: () => void;
  /** After a save; `created` is true for a new recorder (the dialog then shows its success step). */
  onSaved: (recorder: Recorder, created: boolean) => void;
  /** CONFIGURATION on the success step. */
  onConfigure: (recorder: Recorder) => void;
}

const FIELDS = ['name', 'manufacturer', 'site_id', 'type', 'camera_count'];

/** "Ajouter un enregistreur" (then "Félicitation !" with CONFIGURATION) or "Modifier l'enregistreur". */
export function RecorderDialog({ open, orgId, recorder, sites, onClose, onSaved, onConfigure }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [manufacturer, setManufacturer] = useState<Manufacturer>('dahua');
  const [siteId, setSiteId] = useState('');
  const [type, setType] = useState<RecorderType>('nvr');
  const [cameras, setCameras] = useState('16');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Recorder | null>(null);

  useEffect(() => {
    if (!open) return;
    setName(recorder?.name ?? '');
    setManufacturer(recorder?.manufacturer ?? 'dahua');
    setSiteId(recorder?.site_id ?? '');
    setType(recorder?.type ?? 'nvr');
    setCameras(String(recorder?.camera_count ?? 16));
    setErrors({});
    setError(null);
    setBusy(false);
    setCreated(null);
  }, [open, recorder]);

  // Default to the first site once the list is there.
  const site = siteId || sites[0]?.id || '';
  const siteOptions =
    recorder && recorder.site_id && !sites.some((s) => s.id === recorder.site_id)
      ? [...sites, { id: recorder.site_id, name: recorder.site_name } as Site]
      : sites;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('common.required');
    if (!site) local.site_id = t('common.required');
    const count = parseIntIn(cameras, MIN_CAMERAS, MAX_CAMERAS);
    if (count === null) local.camera_count = t('recorders.camerasRange');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    const body: RecorderBody = { name: name.trim(), manufacturer, site_id: site, type, camera_count: count! };
    try {
      if (recorder) {
        const saved = await api.updateRecorder(orgId, recorder.id, body);
        onSaved(saved ?? { ...recorder, ...body }, false);
      } else {
        const saved = await api.createRecorder(orgId, body);
        setCreated(saved);
        setBusy(false);
        onSaved(saved, true);
      }
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!Object.keys(f).length || Object.keys(f).some((k) => !FIELDS.includes(k))) setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  const title = recorder ? t('recorders.editTitle') : t('recorders.addTitle');

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="recorder-dialog">
      <DialogTitle sx={{ pr: 6 }}>
        {title}
        {!recorder && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            {t('recorders.addSubtitle')}
          </Typography>
        )}
        <IconButton aria-label={t('common.close')} onClick={onClose} sx={{ position: 'absolute', right: 12, top: 12 }}>
          <CloseIcon />
        </IconButton>
      </DialogTitle>
      {created ? (
        <>
          <DialogContent>
            <Box data-testid="recorder-created" sx={{ textAlign: 'center', py: 2 }}>
              <CheckCircleOutlineIcon color="success" sx={{ fontSize: 56, mb: 1 }} />
              <Typography variant="h6" component="p" sx={{ mb: 0.5 }}>
                {t('recorders.created1')}
              </Typography>
              <Typography color="text.secondary">{t('recorders.created2')}</Typography>
            </Box>
          </DialogContent>
          <DialogActions sx={{ px: 3, pb: 2.5, justifyContent: 'center' }}>
            <Button variant="contained" size="large" onClick={() => onConfigure(created)} data-testid="recorder-configure" autoFocus>
              {t('recorders.configureButton')}
            </Button>
            <Button variant="outlined" color="inherit" onClick={onClose} data-testid="recorder-close">
              {t('common.close')}
            </Button>
          </DialogActions>
        </>
      ) : (
        <form noValidate onSubmit={submit}>
          <DialogContent>
            <Stack spacing={2.5} sx={{ pt: 1 }}>
              {error && (
                <Alert severity="error" data-testid="recorder-error">
                  {error}
                </Alert>
              )}
              {!recorder && sites.length === 0 && (
                <Alert severity="warning" data-testid="recorder-no-site">
                  {t('recorders.noSite')}
                </Alert>
              )}
              <TextField
                label={t('recorders.field.name')}
                name="name"
                required
                autoFocus
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={!!errors.name}
                helperText={errors.name}
                slotProps={{ htmlInput: { 'data-testid': 'recorder-name', maxLength: 200 } }}
              />
              <TextField
                select
                label={t('recorders.field.manufacturer')}
                name="manufacturer"
                value={manufacturer}
                onChange={(e) => setManufacturer(e.target.value as Manufacturer)}
                error={!!errors.manufacturer}
                helperText={errors.manufacturer}
                slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'recorder-manufacturer' }, inputLabel: { shrink: true } }}
              >
                {MANUFACTURERS.map((m) => (
                  <option key={m} value={m}>
                    {t(`recorder.manufacturer.${m}`)}
                  </option>
                ))}
              </TextField>
              <TextField
                select
                label={t('recorders.field.site')}
                name="site_id"
                required
                value={site}
                onChange={(e) => setSiteId(e.target.value)}
                error={!!errors.site_id}
                helperText={errors.site_id}
                disabled={siteOptions.length === 0}
                slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'recorder-site' }, inputLabel: { shrink: true } }}
              >
                {siteOptions.length === 0 && <option value="" />}
                {siteOptions.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </TextField>
              <TextField
                select
                label={t('recorders.field.type')}
                name="type"
                value={type}
                onChange={(e) => setType(e.target.value as RecorderType)}
                error={!!errors.type}
                helperText={errors.type}
                slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'recorder-type' }, inputLabel: { shrink: true } }}
              >
                {RECORDER_TYPES.map((k) => (
                  <option key={k} value={k}>
                    {t(`recorder.type.${k}`)}
                  </option>
                ))}
              </TextField>
              <TextField
                label={t('recorders.field.cameras')}
                name="camera_count"
                type="number"
                required
                value={cameras}
                onChange={(e) => setCameras(e.target.value)}
                error={!!errors.camera_count}
                helperText={errors.camera_count ?? (recorder ? t('recorders.camerasEditHelp') : t('recorders.camerasHelp'))}
                slotProps={{ htmlInput: { 'data-testid': 'recorder-cameras', min: MIN_CAMERAS, max: MAX_CAMERAS, step: 1, inputMode: 'numeric' } }}
              />
            </Stack>
          </DialogContent>
          <DialogActions sx={{ px: 3, pb: 2.5 }}>
            <Button type="submit" variant="contained" disabled={busy || (!recorder && sites.length === 0)} data-testid="recorder-submit">
              {t('common.validate')}
            </Button>
            <Button variant="outlined" color="inherit" onClick={onClose} disabled={busy} data-testid="recorder-close">
              {t('common.close')}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
