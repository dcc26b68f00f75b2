import { IconButton, InputAdornment, TextField, Tooltip } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import Visibility from '@mui/icons-material/Visibility';
import VisibilityOff from '@mui/icons-material/VisibilityOff';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNotify } from './Notifier';

/** Copies text; false when the Clipboard API is unavailable (plain HTTP, old browser). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

interface Props {
  label: string;
  value: string;
  helperText?: string;
  testId: string;
  /** A secret: hidden until the show button is pressed. */
  secret?: boolean;
}

/** A read-only value with a copy button (and show/hide for secrets), for the connection settings. */
export function CopyField({ label, value, helperText, testId, secret }: Props) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [visible, setVisible] = useState(!secret);
  const [input, setInput] = useState<HTMLInputElement | null>(null);

  const copy = async () => {
    if (await copyText(value)) {
      notify(t('common.copied'), 'info');
    } else if (input) {
      // Without the Clipboard API the value is selected so that Ctrl+C copies it.
      setVisible(true);
      setTimeout(() => input.select(), 0);
    }
  };

  return (
    <TextField
      label={label}
      value={value}
      helperText={helperText}
      fullWidth
      type={visible ? 'text' : 'password'}
      inputRef={setInput}
      slotProps={{
        htmlInput: { 'data-testid': testId, readOnly: true, spellCheck: false, style: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } },
        inputLabel: { shrink: true },
        input: {
          endAdornment: (
            <InputAdornment position="end">
              {secret && (
                <IconButton
                  aria-label={visible ? t('common.hidePassword') : t('common.showPassword')}
                  onClick={() => setVisible((v) => !v)}
                  data-testid={`${testId}-toggle`}
                  edge="end"
                  sx={{ mr: 0.25 }}
                >
                  {visible ? <VisibilityOff fontSize="small" /> : <Visibility fontSize="small" />}
                </IconButton>
              )}
              <Tooltip title={t('common.copyField', { label })}>
                <IconButton aria-label={t('common.copyField', { label })} onClick={copy} data-testid={`${testId}-copy`} edge="end">
                  <ContentCopyIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </InputAdornment>
          ),
        },
      }}
    />
  );
}
