import { Alert, Box, Button, Link, Skeleton, Typography } from '@mui/material';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import MenuBookOutlinedIcon from '@mui/icons-material/MenuBookOutlined';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { api, type Connection, type Recorder, type RecorderStatus } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { useNotify } from '../../components/Notifier';
import { errorMessage } from '../../errors';
import { useQuery } from '../../hooks/useQuery';
import { docBrandOf } from '../../recorders';
import { HealthCard } from './HealthCard';
import { StepHeader } from './StepHeader';

/** The help page link: docs_url when it is a path of this app, else the brand's page. */
export function docsLink(conn: Connection | undefined, recorder: Recorder, lang: string): string {
  const url = conn?.docs_url ?? '';
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return `/help/recorders/${docBrandOf(recorder.manufacturer)}?lang=${lang.startsWith('fr') ? 'fr' : 'en'}`;
}

/** Étape 5 — Paramètres de connexion de l'enregistreur au Cloud, and the recorder's health. */
export function ConnectionStep({
  recorder,
  canManage,
  timeZone,
  onStatus,
}: {
  recorder: Recorder;
  canManage: boolean;
  timeZone?: string;
  /** The health card's status, for the wizard's header badge. */
  onStatus?: (status: RecorderStatus) => void;
}) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const conn = useQuery(() => api.getConnection(recorder.org_id, recorder.id), [recorder.org_id, recorder.id], canManage);
  const [fresh, setFresh] = useState<Connection | null>(null);
  const [confirm, setConfirm] = useState(false);
  const c = fresh ?? conn.data;
  const docs = docsLink(c, recorder, i18n.language);

  return (
    <Box data-testid="connection-step">
      <StepHeader n={5} title={t('wizard.steps.connection')}>
        <Typography sx={{ mb: 1 }}>{t('wizard.connection.intro')}</Typography>
        <Typography>
          {t('wizard.connection.docsIntro')}{' '}
          <Link
            component={RouterLink}
            to={docs}
            target="_blank"
            rel="noopener"
            data-testid="conn-docs"
            sx={{ fontWeight: 700, display: 'inline-flex', alignItems: 'center', gap: 0.5, verticalAlign: 'bottom' }}
          >
            <MenuBookOutlinedIcon fontSize="small" />
            {t('wizard.connection.docs')}
          </Link>
        </Typography>
      </StepHeader>

      {!canManage ? (
        <Alert severity="info" sx={{ mb: 3 }}>
          {t('wizard.connection.forbidden')}
        </Alert>
      ) : conn.error && !fresh ? (
        <Alert
          severity="error"
          sx={{ mb: 3 }}
          action={
            <Button color="inherit" size="small" onClick={conn.reload}>
              {t('common.retry')}
            </Button>
          }
        >
          {errorMessage(conn.error, t)}
        </Alert>
      ) : !c ? (
        <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr 1fr' }, mb: 3 }}>
          {[0, 1, 2, 3, 4].map((i) => (
            <Skeleton key={i} variant="rounded" height={56} />
          ))}
        </Box>
      ) : (
        <>
          <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr 1fr' }, mb: 2.5 }}>
            <CopyField label={t('wizard.connection.host')} value={c.host} helperText={t('wizard.connection.hostHelp')} testId="conn-host" />
            <CopyField label={t('wizard.connection.sftpPort')} value={String(c.sftp_port)} helperText={t('wizard.connection.portHelp')} testId="conn-sftp-port" />
            <CopyField label={t('wizard.connection.ftpPort')} value={String(c.ftp_port)} helperText={t('wizard.connection.portHelp')} testId="conn-ftp-port" />
          </Box>
          <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, mb: 2 }}>
            <CopyField
              label={t('wizard.connection.username')}
              value={c.username}
              helperText={t('wizard.connection.usernameHelp')}
              testId="conn-username"
            />
            <CopyField
              label={t('wizard.connection.password')}
              value={c.password}
              helperText={t('wizard.connection.passwordHelp')}
              testId="conn-password"
              secret
            />
          </Box>
          {c.sftp_host_keys && c.sftp_host_keys.length > 0 && (
            <Box sx={{ mb: 2 }} data-testid="conn-host-keys">
              <Typography variant="body2" color="text.secondary">
                {t('wizard.connection.hostKeys')}
              </Typography>
              {c.sftp_host_keys.map((k) => (
                <Typography key={k} variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                  {k}
                </Typography>
              ))}
            </Box>
          )}
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', mb: 3 }}>
            <Typography variant="body2" color="text.secondary" sx={{ flex: '1 1 320px' }}>
              {t('wizard.connection.secure')}
            </Typography>
            <Button
              variant="outlined"
              color="warning"
              startIcon={<AutorenewIcon />}
              onClick={() => setConfirm(true)}
              data-testid="conn-regenerate"
            >
              {t('wizard.connection.regenerate')}
            </Button>
          </Box>
        </>
      )}

      <HealthCard recorder={recorder} timeZone={timeZone} onStatus={onStatus} />

      <ConfirmDialog
        open={confirm}
        title={t('wizard.connection.regenerateTitle')}
        text={t('wizard.connection.regenerateText')}
        confirmLabel={t('wizard.connection.regenerateConfirm')}
        onClose={() => setConfirm(false)}
        onConfirm={async () => {
          const next = await api.regenerateConnection(recorder.org_id, recorder.id);
          setFresh(next);
          notify(t('wizard.connection.regenerated'), 'warning');
        }}
      />
    </Box>
  );
}
