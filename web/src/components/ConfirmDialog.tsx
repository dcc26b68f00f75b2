import { Alert, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../errors';

interface Props {
  open: boolean;
  title: string;
  text: string;
  confirmLabel?: string;
  onClose: () => void;
  /** Runs the action; a thrown error is shown inside the dialog, which stays open. */
  onConfirm: () => Promise<void>;
}

/** A destructive-action confirmation (SUPPRIMER / ANNULER). */
export function ConfirmDialog({ open, title, text, confirmLabel, onClose, onConfirm }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Keep the texts while the dialog fades out (the caller may clear its target on close).
  const shown = useRef({ title, text });
  if (open) shown.current = { title, text };

  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (e) {
      setBusy(false);
      setError(errorMessage(e, t));
    }
  };

  return (
    <Dialog open={open} onClose={close} maxWidth="xs" fullWidth data-testid="confirm-dialog">
      <DialogTitle>{shown.current.title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{shown.current.text}</DialogContentText>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }} data-testid="confirm-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button variant="contained" color="error" onClick={confirm} disabled={busy} data-testid="confirm-delete">
          {confirmLabel ?? t('common.delete')}
        </Button>
        <Button variant="outlined" color="inherit" onClick={close} disabled={busy} data-testid="confirm-cancel">
          {t('common.cancel')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
