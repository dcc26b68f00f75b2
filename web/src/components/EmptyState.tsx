import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';

export function EmptyState({
  icon,
  title,
  text,
  action,
  testId,
}: {
  icon?: ReactNode;
  title: string;
  text?: string;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <Box
      data-testid={testId}
      sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', textAlign: 'center', gap: 1.5, py: 8, px: 3 }}
    >
      {icon && (
        <Box
          sx={(theme) => ({
            width: 72,
            height: 72,
            borderRadius: '50%',
            display: 'grid',
            placeItems: 'center',
            color: 'primary.main',
            bgcolor: theme.palette.mode === 'dark' ? 'rgba(108,76,241,0.18)' : 'rgba(108,76,241,0.10)',
            '& svg': { fontSize: 36 },
          })}
        >
          {icon}
        </Box>
      )}
      <Typography variant="h6">{title}</Typography>
      {text && (
        <Typography color="text.secondary" sx={{ maxWidth: 520 }}>
          {text}
        </Typography>
      )}
      {action && <Box sx={{ mt: 1 }}>{action}</Box>}
    </Box>
  );
}
