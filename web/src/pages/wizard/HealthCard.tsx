import {
  Alert,
  Box,
  Button,
  Chip,
  LinearProgress,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import MonitorHeartOutlinedIcon from '@mui/icons-material/MonitorHeartOutlined';
import RefreshIcon from '@mui/icons-material/Refresh';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Recorder, type RecorderStatus } from '../../api';
import { RecorderStatusBadge } from '../../components/RecorderStatusBadge';
import { errorMessage } from '../../errors';
import { formatDateTime, formatNumber } from '../../format';
import { useQuery } from '../../hooks/useQuery';

function Stat({ label, value, testId, alert }: { label: string; value: ReactNode; testId: string; alert?: boolean }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
        {label}
      </Typography>
      <Typography sx={{ fontWeight: 700, color: alert ? 'error.main' : 'text.primary' }} data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

/** The recorder's health: status, last upload and login, counters and the recent problems with their reason.
 * Times are shown in the site's time zone (`timeZone`), the one file names are read in.
 * `onStatus` hears each status loaded, so that the page's own badge follows a refresh. */
export function HealthCard({
  recorder,
  timeZone,
  onStatus,
}: {
  recorder: Recorder;
  timeZone?: string;
  onStatus?: (status: RecorderStatus) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const health = useQuery(() => api.getRecorderHealth(recorder.org_id, recorder.id), [recorder.org_id, recorder.id]);
  const h = health.data;
  const status = h?.status;
  useEffect(() => {
    if (status) onStatus?.(status);
  }, [status, onStatus]);

  return (
    <Paper variant="outlined" sx={{ overflow: 'hidden' }} data-testid="health-card">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, px: 3, pt: 2.5, pb: 1.5, flexWrap: 'wrap' }}>
        <MonitorHeartOutlinedIcon color="primary" />
        <Typography variant="h6" component="h3" sx={{ fontWeight: 700 }}>
          {t('wizard.health.title')}
        </Typography>
        {h && <RecorderStatusBadge status={h.status} testId="health-status" />}
        <Button size="small" startIcon={<RefreshIcon />} onClick={health.reload} sx={{ ml: 'auto' }} data-testid="health-refresh" disabled={health.loading}>
          {t('common.refresh')}
        </Button>
      </Box>
      {health.loading && <LinearProgress aria-label={t('common.loading')} />}
      {health.error ? (
        <Box sx={{ px: 3, pb: 3 }}>
          <Alert severity="error">{errorMessage(health.error, t)}</Alert>
        </Box>
      ) : (
        h && (
          <Box sx={{ px: 3, pb: 3 }}>
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(5, 1fr)' }, py: 1.5 }}>
              <Stat label={t('wizard.health.lastUpload')} value={formatDateTime(h.last_upload_at, lang, timeZone)} testId="health-last-upload" />
              <Stat label={t('wizard.health.lastLogin')} value={formatDateTime(h.last_login_at, lang, timeZone)} testId="health-last-login" />
              <Stat label={t('wizard.health.uploads')} value={formatNumber(h.uploads, lang)} testId="health-uploads" />
              <Stat
                label={t('wizard.health.failedLogins')}
                value={formatNumber(h.failed_logins, lang)}
                testId="health-failed-logins"
                alert={h.failed_logins > 0}
              />
              <Stat
                label={t('wizard.health.refusedUploads')}
                value={formatNumber(h.refused_uploads, lang)}
                testId="health-refused-uploads"
                alert={h.refused_uploads > 0}
              />
            </Box>
            {h.status === 'never' && !h.last_login_at && (
              <Alert severity="info" sx={{ mt: 1, mb: 2 }}>
                {t('wizard.health.neverHint')}
              </Alert>
            )}
            <Typography variant="subtitle2" sx={{ mt: 1.5, mb: 1 }}>
              {t('wizard.health.recent')}
            </Typography>
            {h.recent.length === 0 ? (
              <Typography variant="body2" color="text.secondary" data-testid="health-no-problem">
                {t('wizard.health.noProblem')}
              </Typography>
            ) : (
              <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 1 }}>
                <Table size="small" data-testid="health-problems">
                  <TableHead>
                    <TableRow>
                      <TableCell>{t('wizard.health.col.date')}</TableCell>
                      <TableCell>{t('wizard.health.col.kind')}</TableCell>
                      <TableCell>{t('wizard.health.col.message')}</TableCell>
                      <TableCell>{t('wizard.health.col.path')}</TableCell>
                      <TableCell>{t('wizard.health.col.ip')}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {h.recent.map((e, i) => (
                      <TableRow key={`${e.at}-${i}`} data-testid="health-problem" data-reason={e.reason}>
                        <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, lang, timeZone)}</TableCell>
                        <TableCell>
                          <Chip
                            size="small"
                            variant="outlined"
                            color={e.kind === 'login_failed' ? 'error' : 'warning'}
                            label={t(`wizard.health.kind.${e.kind}`, { defaultValue: e.kind })}
                          />
                        </TableCell>
                        <TableCell>{e.message || e.reason}</TableCell>
                        <TableCell sx={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '0.8rem', wordBreak: 'break-all' }}>
                          {e.path || '—'}
                        </TableCell>
                        <TableCell sx={{ whiteSpace: 'nowrap' }}>{e.ip || '—'}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </TableContainer>
            )}
          </Box>
        )
      )}
    </Paper>
  );
}
