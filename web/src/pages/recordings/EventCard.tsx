import { Box, ButtonBase, CircularProgress, Tooltip, Typography } from '@mui/material';
import { alpha } from '@mui/material/styles';
import ErrorOutlineIcon from '@mui/icons-material/ErrorOutline';
import PhotoOutlinedIcon from '@mui/icons-material/PhotoOutlined';
import VideocamOutlinedIcon from '@mui/icons-material/VideocamOutlined';
import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recording } from '../../api';
import { zonedParts } from './dates';
import { stale } from './expiry';
import { DetectionIcons } from './DetectionIcon';
import { formatDuration, stripFrame, stripPosition } from './format';

/** Frames in a preview strip: internal/media's StripFrames. */
const FRAMES = 5;

/**
 * The thumbnail of an event; hovering it plays the preview strip (five frames
 * of the clip side by side), moving along it picks the frame under the pointer.
 * A picture that fails (or a preview hovered) with expired URLs asks for fresh
 * ones (onStale); the placeholder shows until they come.
 */
function Thumbnail({ rec, onStale }: { rec: Recording; onStale?: (id: string) => boolean }) {
  const { t } = useTranslation();
  const [hover, setHover] = useState(false);
  const [frame, setFrame] = useState(0);
  // The URL that failed: a fresh one is tried again.
  const [failed, setFailed] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const strip = rec.media.strip_url;
  const thumb = rec.media.thumbnail_url || rec.media.image_url;
  const broken = !!thumb && failed === thumb;

  useEffect(() => {
    if (!hover || !strip) return;
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES), 400);
    return () => clearInterval(timer);
  }, [hover, strip]);

  return (
    <Box
      ref={box}
      onMouseEnter={() => {
        setHover(true);
        if (strip && stale(rec.media)) onStale?.(rec.id);
      }}
      onMouseLeave={() => {
        setHover(false);
        setFrame(0);
      }}
      onMouseMove={(e) => {
        const r = box.current?.getBoundingClientRect();
        if (r) setFrame(stripFrame(e.clientX - r.left, r.width, FRAMES));
      }}
      sx={{ position: 'relative', aspectRatio: '16 / 9', bgcolor: '#11141b', overflow: 'hidden', borderRadius: 1.5 }}
    >
      {thumb && !broken ? (
        <Box component="img" src={thumb} alt="" loading="lazy" decoding="async" onError={(e) => {
            setFailed(e.currentTarget.getAttribute('src') ?? '');
            onStale?.(rec.id);
          }} sx={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }} />
      ) : (
        <Box sx={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center', color: 'rgba(255,255,255,0.35)' }}>
          {rec.kind === 'snapshot' ? <PhotoOutlinedIcon /> : <VideocamOutlinedIcon />}
        </Box>
      )}
      {hover && strip && (
        <Box
          data-testid="event-preview"
          data-frame={frame}
          sx={{
            position: 'absolute',
            inset: 0,
            backgroundImage: `url("${strip}")`,
            backgroundSize: `${FRAMES * 100}% 100%`,
            backgroundPosition: stripPosition(frame, FRAMES),
            backgroundRepeat: 'no-repeat',
          }}
        />
      )}
      {rec.status === 'processing' && (
        <Overlay>
          <CircularProgress size={14} color="inherit" />
          {t('recordings.list.processing')}
        </Overlay>
      )}
      {rec.status === 'failed' && (
        <Tooltip title={rec.status_reason || t('recordings.player.failedNoReason')}>
          <Overlay error>
            <ErrorOutlineIcon sx={{ fontSize: 16 }} />
            {t('recordings.list.failed')}
          </Overlay>
        </Tooltip>
      )}
      <Box
        sx={{
          position: 'absolute',
          right: 6,
          bottom: 6,
          px: 0.75,
          borderRadius: 1,
          bgcolor: 'rgba(0,0,0,0.7)',
          color: '#fff',
          fontSize: 11,
          fontWeight: 600,
          lineHeight: '18px',
          display: 'flex',
          alignItems: 'center',
          gap: 0.5,
        }}
      >
        {rec.kind === 'snapshot' ? (
          <>
            <PhotoOutlinedIcon sx={{ fontSize: 13 }} />
            {t('recordings.list.snapshot')}
          </>
        ) : (
          formatDuration(rec.duration_ms || Date.parse(rec.end) - Date.parse(rec.start))
        )}
      </Box>
    </Box>
  );
}

function Overlay({ children, error = false }: { children: ReactNode; error?: boolean }) {
  return (
    <Box
      data-testid={error ? 'event-failed' : 'event-processing'}
      sx={(theme) => ({
        position: 'absolute',
        left: 6,
        top: 6,
        px: 0.75,
        borderRadius: 1,
        display: 'flex',
        alignItems: 'center',
        gap: 0.5,
        fontSize: 11,
        fontWeight: 600,
        lineHeight: '20px',
        color: '#fff',
        bgcolor: error ? alpha(theme.palette.error.main, 0.9) : 'rgba(0,0,0,0.7)',
      })}
    >
      {children}
    </Box>
  );
}

/** One event of the list (client guide §2.7): thumbnail, time, camera and detection icons. */
export const EventCard = memo(function EventCard({
  rec,
  timeZone,
  selected,
  onSelect,
  onStale,
}: {
  rec: Recording;
  timeZone: string | undefined;
  selected: boolean;
  onSelect: (r: Recording) => void;
  /** The event's media failed or expired: returns whether fresh URLs are coming. */
  onStale?: (id: string) => boolean;
}) {
  const time = zonedParts(rec.start, timeZone).seconds;
  return (
    <ButtonBase
      onClick={() => onSelect(rec)}
      data-testid="event-card"
      data-id={rec.id}
      data-status={rec.status}
      data-kind={rec.kind}
      aria-current={selected ? 'true' : undefined}
      aria-label={`${rec.camera_name} ${time}`}
      sx={(theme) => ({
        display: 'block',
        textAlign: 'left',
        width: '100%',
        borderRadius: 2,
        p: 0.75,
        outline: selected ? `2px solid ${theme.palette.primary.main}` : '1px solid transparent',
        bgcolor: selected ? alpha(theme.palette.primary.main, 0.08) : 'transparent',
        transition: 'background-color 120ms',
        '&:hover': { bgcolor: alpha(theme.palette.primary.main, selected ? 0.12 : 0.05) },
        '&.Mui-focusVisible': { outline: `2px solid ${theme.palette.primary.main}` },
      })}
    >
      <Thumbnail rec={rec} onStale={onStale} />
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 0.5, mt: 0.75, minHeight: 22 }}>
        <Typography variant="body2" sx={{ fontWeight: 700, fontVariantNumeric: 'tabular-nums' }} data-testid="event-time">
          {time}
        </Typography>
        <DetectionIcons types={rec.detection_types} />
      </Box>
      <Typography variant="caption" color="text.secondary" noWrap component="div" title={rec.camera_name} data-testid="event-camera">
        {rec.camera_name}
      </Typography>
    </ButtonBase>
  );
});
