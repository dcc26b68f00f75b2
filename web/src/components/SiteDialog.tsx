import { Alert, Autocomplete, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Stack, TextField } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Site } from '../api';
import { errorMessage, fieldErrors } from '../errors';
import { useTimezones } from '../hooks/useTimezones';

interface Props {
  open: boolean;
  orgId: string;
  /** The site to edit; null to add one. */
  site: Site | null;
  onClose: () => void;
  onSaved: (site: Site) => void;
}

const DEFAULT_TIMEZONE = 'UTC';

/** "Ajout Site" / "Modifier Site" dialog: Nom, Fuseau horaire, Adresse. */
export function SiteDialog({ open, orgId, site, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const zones = useTimezones(open);
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState<string | null>(DEFAULT_TIMEZONE);
  const [address, setAddress] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tzInput, setTzInput] = useState('');
  const [tzOpen, setTzOpen] = useState(false);
  // Set when typing completed a zone name: MUI asks to open the list right after the input event.
  const tzMatched = useRef(false);

  useEffect(() => {
    if (!open) return;
    setName(site?.name ?? '');
    setTimezone(site?.timezone ?? DEFAULT_TIMEZONE);
    setTzInput(site?.timezone ?? DEFAULT_TIMEZONE);
    setTzOpen(false);
    setAddress(site?.address ?? '');
    setErrors({});
    setError(null);
    setBusy(false);
  }, [open, site]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('common.required');
    if (!timezone) local.timezone = t('common.required');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    const body = { name: name.trim(), timezone: timezone!, address: address.trim() };
    try {
      const saved = site ? await api.updateSite(orgId, site.id, body) : await api.createSite(orgId, body);
      onSaved(saved ?? { ...(site as Site), ...body });
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!Object.keys(f).length || Object.keys(f).some((k) => !['name', 'timezone', 'address'].includes(k))) {
        setError(errorMessage(err, t));
      }
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="site-dialog">
      <form noValidate onSubmit={submit}>
        <DialogTitle sx={{ pr: 6 }}>
          {site ? t('sites.editTitle') : t('sites.addTitle')}
          <IconButton aria-label={t('common.close')} onClick={onClose} sx={{ position: 'absolute', right: 12, top: 12 }}>
            <CloseIcon />
          </IconButton>
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2.5} sx={{ pt: 1 }}>
            {error && (
              <Alert severity="error" data-testid="site-error">
                {error}
              </Alert>
            )}
            <TextField
              label={t('sites.field.name')}
              name="name"
              required
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={!!errors.name}
              helperText={errors.name}
              slotProps={{ htmlInput: { 'data-testid': 'site-name', maxLength: 200 } }}
            />
            <Autocomplete
              options={!timezone || zones.includes(timezone) ? zones : [timezone, ...zones]}
              value={timezone}
              onChange={(_, v) => setTimezone(v)}
              inputValue={tzInput}
              onInputChange={(_, v, reason) => {
                setTzInput(v);
                if (reason !== 'input') return;
                // Typing a full zone name selects it and closes the list.
                const exact = zones.find((z) => z.toLowerCase() === v.trim().toLowerCase());
                tzMatched.current = !!exact;
                if (exact) {
                  setTimezone(exact);
                  setTzOpen(false);
                }
              }}
              open={tzOpen}
              onOpen={() => {
                if (tzMatched.current) {
                  tzMatched.current = false;
                  return;
                }
                setTzOpen(true);
              }}
              onClose={() => setTzOpen(false)}
              slotProps={{ listbox: { style: { maxHeight: 240 } } }}
              autoHighlight
              autoSelect
              noOptionsText={t('sites.noTimezone')}
              renderInput={(params) => (
                <TextField
                  {...params}
                  label={t('sites.field.timezone')}
                  name="timezone"
                  required
                  error={!!errors.timezone}
                  helperText={errors.timezone}
                  inputProps={{ ...params.inputProps, 'data-testid': 'site-timezone' }}
                />
              )}
            />
            <TextField
              label={t('sites.field.address')}
              name="address"
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              error={!!errors.address}
              helperText={errors.address}
              slotProps={{ htmlInput: { 'data-testid': 'site-address', maxLength: 500 } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button type="submit" variant="contained" disabled={busy} data-testid="site-submit">
            {t('common.validate')}
          </Button>
          <Button variant="outlined" color="inherit" onClick={onClose} disabled={busy} data-testid="site-close">
            {t('common.close')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
