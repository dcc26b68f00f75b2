import { Chip } from '@mui/material';
import CircleIcon from '@mui/icons-material/Circle';
import { useTranslation } from 'react-i18next';
import type { RecorderStatus } from '../api';
import { STATUS_COLOR } from '../recorders';

/** En ligne (green) / Hors ligne (red) / Jamais connecté (grey). */
export function RecorderStatusBadge({ status, testId = 'recorder-status' }: { status: RecorderStatus; testId?: string }) {
  const { t } = useTranslation();
  const color = STATUS_COLOR[status] ?? 'default';
  return (
    <Chip
      size="small"
      variant={color === 'default' ? 'outlined' : 'filled'}
      color={color}
      icon={<CircleIcon sx={{ fontSize: '0.6rem !important' }} />}
      label={t(`recorder.status.${status}`, { defaultValue: status })}
      data-testid={testId}
      data-status={status}
      sx={{ fontWeight: 600 }}
    />
  );
}
