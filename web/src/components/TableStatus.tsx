import { Alert, Button, LinearProgress, TableCell, TableRow, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../errors';

/** Loading bar, error or "nothing yet" row for a table body. */
export function TableStatus({
  colSpan,
  loading,
  error,
  empty,
  emptyText,
  onRetry,
}: {
  colSpan: number;
  loading: boolean;
  error: unknown;
  empty: boolean;
  emptyText: string;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  if (error) {
    return (
      <TableRow>
        <TableCell colSpan={colSpan} sx={{ borderBottom: 0 }}>
          <Alert
            severity="error"
            data-testid="table-error"
            action={
              onRetry && (
                <Button color="inherit" size="small" onClick={onRetry}>
                  {t('common.retry')}
                </Button>
              )
            }
          >
            {errorMessage(error, t)}
          </Alert>
        </TableCell>
      </TableRow>
    );
  }
  if (loading && empty) {
    return (
      <TableRow>
        <TableCell colSpan={colSpan} sx={{ borderBottom: 0, py: 4 }}>
          <LinearProgress aria-label={t('common.loading')} />
        </TableCell>
      </TableRow>
    );
  }
  if (empty) {
    return (
      <TableRow>
        <TableCell colSpan={colSpan} sx={{ borderBottom: 0, py: 6, textAlign: 'center' }}>
          <Typography color="text.secondary" data-testid="table-empty">
            {emptyText}
          </Typography>
        </TableCell>
      </TableRow>
    );
  }
  return null;
}
