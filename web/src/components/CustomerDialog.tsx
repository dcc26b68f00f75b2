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
import { api, type Language, type Org, type OrgKind } from '../api';
import { errorMessage, fieldErrors } from '../errors';
import { LANGUAGES } from '../i18n';

interface Props {
  open: boolean;
  /** The organisation creating the child (my organisation). */
  parent: Org;
  childKind: OrgKind;
  /** The organisation to edit; null to add one. */
  org: Org | null;
  defaultLanguage: Language;
  onClose: () => void;
  onSaved: (org: Org, created: boolean) => void;
}

const FIELDS = ['name', 'email', 'address', 'phone', 'language'];

/** "Add customer" / "Edit customer": the e-mail is fixed once the account exists. */
export function CustomerDialog({ open, parent, childKind, org, defaultLanguage, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Language>(defaultLanguage);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kindKey = parent.kind;

  useEffect(() => {
    if (!open) return;
    setName(org?.name ?? '');
    setEmail(org?.email ?? '');
    setAddress(org?.address ?? '');
    setPhone(org?.phone ?? '');
    setLanguage(defaultLanguage);
    setErrors({});
    setError(null);
    setBusy(false);
  }, [open, org, defaultLanguage]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('common.required');
    if (!org && !email.trim()) local.email = t('common.required');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    try {
      if (org) {
        const saved = await api.updateOrg(org.id, { name: name.trim(), address: address.trim(), phone: phone.trim() });
        onSaved(saved ?? { ...org, name: name.trim(), address: address.trim(), phone: phone.trim() }, false);
      } else {
        const body = {
          parent_id: parent.id,
          kind: childKind,
          name: name.trim(),
          email: email.trim(),
          language,
          ...(address.trim() && { address: address.trim() }),
          ...(phone.trim() && { phone: phone.trim() }),
        };
        const saved = await api.createOrg(body);
        onSaved(saved, true);
      }
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      if (!Object.keys(f).length || Object.keys(f).some((k) => !FIELDS.includes(k))) setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="customer-dialog">
      <form noValidate onSubmit={submit}>
        <DialogTitle sx={{ pr: 6 }}>
          {org ? t(`customers.editTitle.${kindKey}`) : t(`customers.add.${kindKey}`)}
          <IconButton aria-label={t('common.close')} onClick={onClose} sx={{ position: 'absolute', right: 12, top: 12 }}>
            <CloseIcon />
          </IconButton>
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2.5} sx={{ pt: 1 }}>
            {error && (
              <Alert severity="error" data-testid="customer-error">
                {error}
              </Alert>
            )}
            <TextField
              label={t('customers.field.name')}
              name="name"
              required
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={!!errors.name}
              helperText={errors.name}
              slotProps={{ htmlInput: { 'data-testid': 'customer-name' } }}
            />
            <TextField
              label={t('customers.field.email')}
              name="email"
              type="email"
              required={!org}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={!!errors.email}
              helperText={errors.email ?? (org ? t('customers.emailReadonly') : t('customers.inviteHelp'))}
              disabled={!!org}
              slotProps={{ htmlInput: { 'data-testid': 'customer-email', readOnly: !!org } }}
            />
            <TextField
              label={t('customers.field.address')}
              name="address"
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              error={!!errors.address}
              helperText={errors.address}
              slotProps={{ htmlInput: { 'data-testid': 'customer-address' } }}
            />
            <TextField
              label={t('customers.field.phone')}
              name="phone"
              type="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              error={!!errors.phone}
              helperText={errors.phone}
              slotProps={{ htmlInput: { 'data-testid': 'customer-phone' } }}
            />
            {!org && (
              <TextField
                select
                label={t('customers.field.language')}
                name="language"
                value={language}
                onChange={(e) => setLanguage(e.target.value as Language)}
                error={!!errors.language}
                helperText={errors.language}
                slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'customer-language' }, inputLabel: { shrink: true } }}
              >
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {t(`lang.${l}`)}
                  </option>
                ))}
              </TextField>
            )}
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5 }}>
          <Button type="submit" variant="contained" disabled={busy} data-testid="customer-submit">
            {t('common.validate')}
          </Button>
          <Button variant="outlined" color="inherit" onClick={onClose} disabled={busy} data-testid="customer-close">
            {t('common.close')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
