import { Box, List, ListItem, ListItemIcon, ListItemText, Typography } from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import { useTranslation } from 'react-i18next';
import type { PolicyCheck } from '../passwordPolicy';

/** The password rules with a live tick for each. */
export function PasswordPolicyList({ checks, minLength }: { checks: PolicyCheck[]; minLength: number }) {
  const { t } = useTranslation();
  return (
    <Box
      data-testid="password-policy"
      sx={{ bgcolor: 'action.hover', borderRadius: 2, px: 2, py: 1.25 }}
    >
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
        {t('policy.title')}
      </Typography>
      <List dense disablePadding>
        {checks.map((c) => (
          <ListItem key={c.rule} disableGutters sx={{ py: 0.25 }} data-testid={`policy-${c.rule}`} data-ok={c.ok ? 'true' : 'false'}>
            <ListItemIcon sx={{ minWidth: 30 }}>
              {c.ok ? (
                <CheckCircleIcon fontSize="small" color="success" titleAccess={t('policy.ok')} />
              ) : (
                <RadioButtonUncheckedIcon fontSize="small" color="disabled" titleAccess={t('policy.ko')} />
              )}
            </ListItemIcon>
            <ListItemText
              primary={t(`policy.rule.${c.rule}`, { count: minLength })}
              slotProps={{ primary: { variant: 'body2', color: c.ok ? 'text.primary' : 'text.secondary' } }}
            />
          </ListItem>
        ))}
      </List>
    </Box>
  );
}
