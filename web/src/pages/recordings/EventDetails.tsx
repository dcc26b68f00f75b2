import { Box, Button, Chip, Skeleton, Tooltip, Typography } from '@mui/material';
import LinkIcon from '@mui/icons-material/Link';
import { useTranslation } from 'react-i18next';
import type { Recording } from '../../api';
import { useNotify } from '../../components/Notifier';
import { errorMessage } from '../../errors';
import { copyText } from './copy';
import { zonedParts, longDay } from './dates';
import { DetectionIcon, useTypeLabel } from './DetectionIcon';
import { eventLink } from './filters';
import { formatDuration } from './format';

/** The detections of an event grouped by type, in the order they first appear. */
export function detectionGroups(rec: Pick<Recording, 'detection_types' | 'detections'>): { type: string; labels: string[]; first: number | null }[] {
  const out = new Map<string, { type: string; labels: string[]; first: number | null }>();
  for (const d of rec.detections ?? []) {
    const g = out.get(d.type) ?? { type: d.type, labels: [], first: null };
    if (d.label && !g.labels.includes(d.label)) g.labels.push(d.label);
    g.first = g.first === null ? d.start_offset_ms : Math.min(g.first, d.start_offset_ms);
    out.set(d.type, g);
  }
  for (const type of rec.detection_types) if (!out.has(type)) out.set(type, { type, labels: [], first: null });
  return [...out.values()];
}

/**
 * A chip's text: the type's name, then what the models said (dog, car…) in the user's language.
 * Labels that only repeat the type ("person" for Person) add nothing.
 */
export function labelOf(d: { type: string; labels: string[] }, name: string, say: (label: string) => string): string {
  const extra = d.labels.filter((l) => ![name.toLowerCase(), d.type.toLowerCase()].includes(l.toLowerCase()));
  return extra.length ? `${name} · ${extra.slice(0, 3).map(say).join(', ')}` : name;
}

/**
 * Under the player (client guide §2.7): the event's detection types, then its
 * camera, site, time and duration, and the link to share it.
 */
export function EventDetails({
  rec,
  loading,
  timeZone,
  onSeek,
}: {
  rec: Recording;
  /** Whether the detections are still being read. */
  loading: boolean;
  timeZone: string | undefined;
  onSeek: (seconds: number) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const typeLabel = useTypeLabel(rec.detection_types);
  const groups = detectionGroups(rec);
  const when = zonedParts(rec.start, timeZone);

  const share = async () => {
    try {
      await copyText(eventLink(window.location.origin, rec.id));
      notify(t('recordings.player.linkCopied'));
    } catch (e) {
      notify(errorMessage(e, t), 'error');
    }
  };

  return (
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', gap: 2 }}>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="subtitle1" sx={{ fontWeight: 700, lineHeight: 1.3 }} noWrap title={rec.camera_name} data-testid="player-camera">
            {rec.camera_name}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }} data-testid="player-start">
            {longDay(when.day)} {when.seconds}
          </Typography>
        </Box>
        <Tooltip title={eventLink(typeof window === 'undefined' ? '' : window.location.origin, rec.id)}>
          <Button variant="outlined" size="small" startIcon={<LinkIcon />} onClick={() => void share()} data-testid="player-copy-link" sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
            {t('recordings.player.copyLink')}
          </Button>
        </Tooltip>
      </Box>
      <Box>
        <Typography variant="overline" color="text.secondary" component="h2" sx={{ lineHeight: 2 }}>
          {t('recordings.player.detections')}
        </Typography>
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', minHeight: 32, alignItems: 'center' }} data-testid="player-detections">
          {loading && !groups.length && <Skeleton variant="rounded" width={120} height={28} />}
          {!loading && !groups.length && (
            <Typography variant="body2" color="text.secondary">
              {t('recordings.player.noDetections')}
            </Typography>
          )}
          {groups.map((g) => (
            <Chip
              key={g.type}
              icon={<DetectionIcon type={g.type} />}
              label={labelOf(g, typeLabel(g.type), (l) => t(`recordings.label.${l}`, { defaultValue: l }))}
              variant="outlined"
              data-testid="player-detection"
              data-type={g.type}
              onClick={g.first !== null && rec.kind === 'clip' ? () => onSeek((g.first ?? 0) / 1000) : undefined}
            />
          ))}
        </Box>
      </Box>
      <Box component="dl" sx={{ m: 0, display: 'flex', flexWrap: 'wrap', columnGap: 4, rowGap: 1 }}>
        <Meta label={t('recordings.player.site')} value={rec.site_name} />
        {rec.kind === 'clip' && <Meta label={t('recordings.player.duration')} value={formatDuration(rec.duration_ms || Date.parse(rec.end) - Date.parse(rec.start))} />}
        {rec.event_type && <Meta label={t('recordings.player.event')} value={t(`recordings.eventTypes.${rec.event_type}`, { defaultValue: rec.event_type })} />}
      </Box>
    </Box>
  );
}

function Meta({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography component="dt" variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, fontWeight: 600 }} noWrap title={value} data-testid={testId}>
        {value || '—'}
      </Typography>
    </Box>
  );
}

