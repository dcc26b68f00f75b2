import {
  Alert,
  Box,
  Button,
  IconButton,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutline';
import KeyOutlinedIcon from '@mui/icons-material/KeyOutlined';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiToken, type CreatedToken } from '../api';
import { errorMessage, fieldErrors } from '../errors';
import { formatDateTime } from '../format';
import { useQuery } from '../hooks/useQuery';
import { ConfirmDialog } from './ConfirmDialog';
import { useNotify } from './Notifier';
import { TableStatus } from './TableStatus';

/** Jetons d'API: list, create (the secret is shown once, with a copy button) and revoke. */
export function ApiTokensCard() {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const tokens = useQuery(() => api.listTokens({ limit: 100 }), []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const items = tokens.data?.items ?? [];

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('common.required'));
      return;
    }
    setBusy(true);
    setNameError(undefined);
    try {
      const tok = await api.createToken(name.trim());
      setCreated(tok);
      setName('');
      notify(t('tokens.created', { name: tok.name }));
      tokens.reload();
    } catch (err) {
      const f = fieldErrors(err);
      if (f.name) setNameError(f.name);
      else notify(errorMessage(err, t), 'error');
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      notify(t('common.copied'), 'info');
    } catch {
      // Clipboard API unavailable (plain HTTP): the token stays selectable on screen.
      const el = document.querySelector<HTMLElement>('[data-testid="token-value"]');
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  };

  return (
    <Paper variant="outlined" sx={{ overflow: 'hidden' }} data-testid="tokens-card">
      <Box sx={{ px: 3, pt: 2.5, pb: 1 }}>
        <Typography variant="h6" component="h2" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <KeyOutlinedIcon color="primary" />
          {t('tokens.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {t('tokens.subtitle')}
        </Typography>
      </Box>
      <Box component="form" noValidate onSubmit={create} sx={{ display: 'flex', gap: 1.5, px: 3, py: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <TextField
          label={t('tokens.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          size="small"
          error={!!nameError}
          helperText={nameError}
          sx={{ maxWidth: 320 }}
          slotProps={{ htmlInput: { 'data-testid': 'token-name', maxLength: 100 } }}
        />
        <Button type="submit" variant="contained" disabled={busy} data-testid="token-create" sx={{ mt: 0.25 }}>
          {t('tokens.create')}
        </Button>
      </Box>
      {created && (
        <Box sx={{ px: 3, pb: 2 }}>
          <Alert
            severity="warning"
            onClose={() => setCreated(null)}
            data-testid="token-created"
            slotProps={{ closeButton: { title: t('common.dismiss') } }}
          >
            <Typography variant="body2" sx={{ fontWeight: 600, mb: 1 }}>
              {t('tokens.newToken')}
            </Typography>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <Box
                component="code"
                data-testid="token-value"
                sx={{ fontFamily: 'monospace', fontSize: '0.85rem', bgcolor: 'background.paper', px: 1.25, py: 0.75, borderRadius: 1, wordBreak: 'break-all', userSelect: 'all' }}
              >
                {created.token}
              </Box>
              <Tooltip title={t('common.copy')}>
                <IconButton aria-label={t('common.copy')} onClick={() => void copy()} data-testid="token-copy" size="small">
                  <ContentCopyIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </Box>
          </Alert>
        </Box>
      )}
      <TableContainer>
        <Table data-testid="tokens-table">
          <TableHead>
            <TableRow>
              <TableCell>{t('tokens.col.name')}</TableCell>
              <TableCell>{t('tokens.col.prefix')}</TableCell>
              <TableCell>{t('tokens.col.created')}</TableCell>
              <TableCell>{t('tokens.col.lastUsed')}</TableCell>
              <TableCell align="right">{t('tokens.col.actions')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {!tokens.error &&
              items.map((tok) => (
                <TableRow key={tok.id} hover data-testid="token-row" data-id={tok.id}>
                  <TableCell sx={{ fontWeight: 600 }}>{tok.name}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>{tok.prefix}…</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(tok.created_at, i18n.language)}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {tok.last_used_at ? formatDateTime(tok.last_used_at, i18n.language) : t('tokens.never')}
                  </TableCell>
                  <TableCell align="right">
                    <Tooltip title={t('tokens.revoke')}>
                      <IconButton aria-label={t('tokens.revoke')} color="error" onClick={() => setRevoking(tok)} data-testid="token-revoke">
                        <DeleteOutlineIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  </TableCell>
                </TableRow>
              ))}
            <TableStatus
              colSpan={5}
              loading={tokens.loading}
              error={tokens.error}
              empty={items.length === 0}
              emptyText={t('tokens.empty')}
              onRetry={tokens.reload}
            />
          </TableBody>
        </Table>
      </TableContainer>
      <ConfirmDialog
        open={!!revoking}
        title={t('tokens.revokeTitle')}
        text={t('tokens.revokeText', { name: revoking?.name ?? '' })}
        confirmLabel={t('tokens.revokeConfirm')}
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          await api.revokeToken(revoking!.id);
          notify(t('tokens.revoked'));
          tokens.reload();
        }}
      />
    </Paper>
  );
}
