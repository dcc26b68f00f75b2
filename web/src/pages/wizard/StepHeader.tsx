import { Box, Button, Chip, Typography } from '@mui/material';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';

/** A wizard step's title with its "Étape N" chip, and "PASSER →" for the optional steps. */
export function StepHeader({
  n,
  title,
  optional,
  onSkip,
  children,
}: {
  n: number;
  title: string;
  optional?: boolean;
  onSkip?: () => void;
  /** The step's introduction, under the title. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box sx={{ mb: 3 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h2" sx={{ fontWeight: 700 }} data-testid="wizard-title">
          {title}
        </Typography>
        <Chip
          size="small"
          color="primary"
          variant="outlined"
          label={optional ? t('wizard.stepOptional', { n }) : t('wizard.step', { n })}
          sx={{ fontWeight: 600 }}
        />
        {onSkip && (
          <Button onClick={onSkip} endIcon={<ArrowForwardIcon />} sx={{ ml: 'auto' }} data-testid="wizard-skip">
            {t('common.skip')}
          </Button>
        )}
      </Box>
      {children && <Box sx={{ mt: 1, color: 'text.secondary' }}>{children}</Box>}
    </Box>
  );
}
