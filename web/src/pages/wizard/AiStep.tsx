import { Alert, Box, Typography } from '@mui/material';
import AutoAwesomeOutlinedIcon from '@mui/icons-material/AutoAwesomeOutlined';
import { useTranslation } from 'react-i18next';
import { StepHeader } from './StepHeader';

/** Étape 3 (optionnel) — Informations sur l'abonnement AI. AI subscriptions come later: no data yet. */
export function AiStep({ onSkip }: { onSkip: () => void }) {
  const { t } = useTranslation();
  return (
    <Box data-testid="ai-step">
      <StepHeader n={3} optional title={t('wizard.steps.ai')} onSkip={onSkip} />
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {t('wizard.ai.none')}
      </Typography>
      <Alert severity="info" icon={<AutoAwesomeOutlinedIcon />}>
        {t('wizard.ai.text')}
      </Alert>
    </Box>
  );
}
