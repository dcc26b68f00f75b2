import { Alert, Box, Chip, LinearProgress, Paper, Typography } from '@mui/material';
import AutoAwesomeOutlinedIcon from '@mui/icons-material/AutoAwesomeOutlined';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { nameIn } from '../../ai';
import { AiUnavailable } from '../../components/CameraAiSettings';
import { useAi } from '../../hooks/useAi';
import { formatDate } from '../../format';
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

/**
 * Étape 3 (optionnel) — Informations sur l'abonnement AI: the client's AI
 * subscription (cameras with AI / limit, HOLO4 packages), or how to get one
 * from the reseller; "Passer" goes on to the cameras.
 */
export function AiStep({ orgId, onSkip }: { orgId: string; onSkip: () => void }) {
  const { t, i18n } = useTranslation();
  const ai = useAi(orgId);
  const sub = ai.subscription;
  const lang = i18n.language;

  let body: ReactNode;
  if (!ai.canViewSubscription) {
    body = (
      <Box data-testid="ai-unknown">
        <Alert severity="info" icon={<AutoAwesomeOutlinedIcon />}>
          {t('wizard.ai.text')}
        </Alert>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {t('wizard.ai.cannotView')}
        </Typography>
      </Box>
    );
  } else if (sub === undefined) {
    body = <LinearProgress aria-label={t('common.loading')} />;
  } else if (sub === null) {
    body = (
      <Box data-testid="ai-missing">
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {t('wizard.ai.none')}
        </Typography>
        <Alert severity="info" icon={<AutoAwesomeOutlinedIcon />}>
          {t('wizard.ai.text')}
        </Alert>
      </Box>
    );
  } else {
    const full = sub.cameras_used >= sub.camera_limit;
    const names = new Map((ai.catalogue?.packages ?? []).map((p) => [p.id, nameIn(p.names, lang)]));
    body = (
      <Paper variant="outlined" sx={{ p: 3 }} data-testid="ai-details">
        <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', sm: 'repeat(3, 1fr)' }, mb: 2 }}>
          <Fact label={t('wizard.ai.active')}>
            <Chip size="small" color="success" label={t('wizard.ai.since', { date: formatDate(sub.created_at, lang) })} />
          </Fact>
          <Fact label={t('wizard.ai.cameras')} testId="ai-usage">
            <Typography variant="h5" component="span" sx={{ fontWeight: 700 }}>
              {t('wizard.ai.usage', { used: sub.cameras_used, limit: sub.camera_limit })}
            </Typography>
          </Fact>
          <Fact label={t('wizard.ai.packages')} testId="ai-packages">
            <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
              {sub.packages.length
                ? sub.packages.map((id) => <Chip key={id} size="small" variant="outlined" color="secondary" label={names.get(id) ?? id} />)
                : t('wizard.ai.noPackages')}
            </Box>
          </Fact>
        </Box>
        <LinearProgress
          variant="determinate"
          value={Math.min(100, (100 * sub.cameras_used) / Math.max(1, sub.camera_limit))}
          color={full ? 'warning' : 'secondary'}
          sx={{ height: 8, borderRadius: 4, mb: 1.5 }}
          aria-label={t('wizard.ai.cameras')}
        />
        <Typography variant="body2" color={full ? 'warning.main' : 'text.secondary'} data-testid="ai-next">
          {full ? t('wizard.ai.full') : t('wizard.ai.next')}
        </Typography>
      </Paper>
    );
  }

  return (
    <Box data-testid="ai-step">
      <StepHeader n={3} optional title={t('wizard.steps.ai')} onSkip={onSkip} />
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <AiUnavailable status={ai.status} />
        {body}
      </Box>
    </Box>
  );
}
