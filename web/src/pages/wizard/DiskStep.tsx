import { Alert, Box, Chip, LinearProgress, Paper, Typography } from '@mui/material';
import StorageOutlinedIcon from '@mui/icons-material/StorageOutlined';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recorder } from '../../api';
import { formatBytes, formatCapacity, usedPercent } from '../../recorders';
import { StepHeader } from './StepHeader';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mb: 0.5 }}>
        {label}
      </Typography>
      <Box sx={{ fontWeight: 600 }} data-testid={testId}>
        {children}
      </Box>
    </Box>
  );
}

/** Étape 2 — Disque virtuel: the attached disk, or how to get one from the reseller. */
export function DiskStep({ recorder }: { recorder: Recorder }) {
  const { t, i18n } = useTranslation();
  const disk = recorder.virtual_disk;
  const lang = i18n.language;

  if (!disk) {
    return (
      <Box data-testid="disk-missing">
        <StepHeader n={2} title={t('wizard.steps.disk')} />
        <Typography sx={{ mb: 2 }}>{t('wizard.disk.missing1')}</Typography>
        <Alert severity="info" icon={<StorageOutlinedIcon />}>
          {t('wizard.disk.missing2')}
        </Alert>
      </Box>
    );
  }

  const pct = usedPercent(disk.used_bytes, disk.capacity_gb);
  const color = pct >= 95 ? 'error' : pct >= 80 ? 'warning' : 'primary';
  return (
    <Box data-testid="disk-details">
      <StepHeader n={2} title={t('wizard.steps.disk')} />
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', sm: 'repeat(3, 1fr)' }, mb: 3 }}>
          <Fact label={t('wizard.disk.capacity')} testId="disk-capacity">
            <Typography variant="h5" component="span" sx={{ fontWeight: 700 }}>
              {formatCapacity(disk.capacity_gb, lang)}
            </Typography>
          </Fact>
          <Fact label={t('wizard.disk.cameraLimit')} testId="disk-camera-limit">
            <Typography variant="h5" component="span" sx={{ fontWeight: 700 }}>
              {disk.camera_limit}
            </Typography>
          </Fact>
          <Fact label={t('wizard.disk.overwrite')} testId="disk-overwrite">
            <Chip
              size="small"
              color={disk.overwrite ? 'success' : 'default'}
              label={disk.overwrite ? t('wizard.disk.on') : t('wizard.disk.off')}
              data-overwrite={disk.overwrite}
            />
          </Fact>
        </Box>
        <Fact label={t('wizard.disk.used')} testId="disk-used">
          <LinearProgress
            variant="determinate"
            value={pct}
            color={color}
            sx={{ height: 10, borderRadius: 5, my: 1 }}
            aria-label={t('wizard.disk.used')}
          />
          <Typography variant="body2" sx={{ fontWeight: 500 }}>
            {t('wizard.disk.usedOf', {
              used: formatBytes(disk.used_bytes, lang),
              capacity: formatCapacity(disk.capacity_gb, lang),
              percent: new Intl.NumberFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(pct),
            })}
          </Typography>
        </Fact>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          {disk.overwrite ? t('wizard.disk.overwriteOn') : t('wizard.disk.overwriteOff')}
        </Typography>
      </Paper>
    </Box>
  );
}
