import { Box, IconButton, LinearProgress, Paper, Typography } from '@mui/material';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import { alpha } from '@mui/material/styles';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Recording } from '../../api';
import { useNotify } from '../../components/Notifier';
import { errorMessage } from '../../errors';
import { useQuery } from '../../hooks/useQuery';
import { longDay, type Day } from './dates';
import { bucketPeriod, jumpTarget, nearestEvent, position } from './timeline';

interface Props {
  /** The days the strip may show (the filter's period): arrows move between them. */
  days?: Day[];
  onDay?: (d: Day) => void;
  orgId: string;
  siteId: string;
  cameras: { id: string; name: string }[];
  types: string[] | undefined;
  day: Day;
  current: Recording | null;
  onJump: (r: Recording) => void;
}

const LABEL = 112;
const TICKS = [0, 6, 12, 18, 24];

/** One camera's strip: events per hour of the day as a heat strip; a click jumps to the nearest event. */
function Row({ orgId, siteId, camera, types, day, current, onJump }: Omit<Props, 'cameras' | 'days' | 'onDay'> & { camera: { id: string; name: string } }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const typesKey = types?.join(',') ?? '';
  const hist = useQuery(
    () => api.recordingHistogram(orgId, { site_id: siteId, camera_ids: [camera.id], detections: types, date: day }),
    [orgId, siteId, camera.id, typesKey, day],
  );
  const buckets = hist.data?.buckets ?? [];
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const here = current && current.camera_id === camera.id ? position(buckets, current.start) : null;

  const jump = async (f: number) => {
    if (!buckets.length || busy) return;
    const target = jumpTarget(buckets, f);
    if (!target) {
      notify(t('recordings.timeline.noEvent', { camera: camera.name }), 'info');
      return;
    }
    setBusy(true);
    try {
      const page = await api.listRecordings(orgId, { site_id: siteId, camera_ids: [camera.id], detections: types, ...bucketPeriod(buckets, target.index), limit: 500 });
      const ev = nearestEvent(page.items, target.at);
      if (ev) onJump(ev);
      else notify(t('recordings.timeline.noEvent', { camera: camera.name }), 'info');
    } catch (e) {
      notify(errorMessage(e, t), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} data-testid="timeline-row" data-camera={camera.id}>
      <Typography variant="caption" noWrap title={camera.name} sx={{ width: LABEL, flexShrink: 0, fontWeight: 600 }}>
        {camera.name}
      </Typography>
      <Box
        role="button"
        tabIndex={-1}
        aria-label={`${camera.name} — ${t('recordings.timeline.hint')}`}
        aria-busy={busy || hist.loading}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          void jump((e.clientX - r.left) / r.width);
        }}
        data-testid="timeline-strip"
        sx={(theme) => ({
          position: 'relative',
          flex: 1,
          height: 22,
          display: 'flex',
          borderRadius: 1,
          overflow: 'hidden',
          cursor: busy ? 'progress' : 'pointer',
          bgcolor: alpha(theme.palette.text.primary, 0.05),
          border: `1px solid ${theme.palette.divider}`,
        })}
      >
        {buckets.map((b, i) => (
          <Box
            key={b.start}
            data-testid="timeline-bucket"
            data-count={b.count}
            title={t('recordings.timeline.bucket', { hour: String(i).padStart(2, '0'), n: b.count })}
            sx={(theme) => ({
              flex: 1,
              borderLeft: i && i % 6 === 0 ? `1px solid ${theme.palette.divider}` : 'none',
              bgcolor: b.count ? alpha(theme.palette.primary.main, 0.18 + (0.82 * b.count) / max) : 'transparent',
            })}
          />
        ))}
        {here !== null && (
          <Box data-testid="timeline-marker" sx={{ position: 'absolute', top: -1, bottom: -1, width: 3, ml: '-1px', left: `${here * 100}%`, bgcolor: 'error.main', borderRadius: 1, pointerEvents: 'none' }} />
        )}
        {(hist.loading || busy) && <LinearProgress sx={{ position: 'absolute', left: 0, right: 0, bottom: 0, height: 2 }} />}
      </Box>
    </Box>
  );
}

/**
 * Beyond the guide: a 24-hour strip per selected camera with the density of
 * its events on the day being watched; a click opens the nearest event.
 */
export function Timeline(props: Props) {
  const { t } = useTranslation();
  const { cameras, day, days = [], onDay, ...rest } = props;
  if (!cameras.length) return null;
  const i = days.indexOf(day);
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="timeline" data-day={day}>
      <Box sx={{ mb: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
          <Typography variant="subtitle2" data-testid="timeline-title">
            {t('recordings.timeline.title', { day: longDay(day) })}
          </Typography>
          {onDay && days.length > 1 && (
            <>
              <IconButton size="small" disabled={i <= 0} onClick={() => onDay(days[i - 1])} aria-label={t('recordings.timeline.prevDay')} data-testid="timeline-prev-day">
                <ChevronLeftIcon fontSize="small" />
              </IconButton>
              <IconButton size="small" disabled={i < 0 || i >= days.length - 1} onClick={() => onDay(days[i + 1])} aria-label={t('recordings.timeline.nextDay')} data-testid="timeline-next-day">
                <ChevronRightIcon fontSize="small" />
              </IconButton>
            </>
          )}
        </Box>
        <Typography variant="caption" color="text.secondary" component="p">
          {t('recordings.timeline.hint')}
        </Typography>
      </Box>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.75 }}>
        {cameras.map((c) => (
          <Row key={c.id} {...rest} day={day} camera={c} />
        ))}
      </Box>
      <Box sx={{ display: 'flex', gap: 1, mt: 0.5 }}>
        <Box sx={{ width: LABEL, flexShrink: 0 }} />
        <Box sx={{ position: 'relative', flex: 1, height: 14 }}>
          {TICKS.map((h) => (
            <Typography
              key={h}
              variant="caption"
              color="text.secondary"
              sx={{ position: 'absolute', left: `${(h / 24) * 100}%`, transform: h === 0 ? 'none' : h === 24 ? 'translateX(-100%)' : 'translateX(-50%)', fontSize: 10, lineHeight: '14px' }}
            >
              {`${String(h).padStart(2, '0')}:00`}
            </Typography>
          ))}
        </Box>
      </Box>
    </Paper>
  );
}
