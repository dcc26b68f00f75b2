import { Alert, Box, CircularProgress, IconButton, Paper, Slider, Tooltip, Typography } from '@mui/material';
import FullscreenIcon from '@mui/icons-material/Fullscreen';
import KeyboardOutlinedIcon from '@mui/icons-material/KeyboardOutlined';
import PauseIcon from '@mui/icons-material/Pause';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import SkipNextIcon from '@mui/icons-material/SkipNext';
import SkipPreviousIcon from '@mui/icons-material/SkipPrevious';
import { useCallback, useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recording, RecordingMedia } from '../../api';
import { useNotify } from '../../components/Notifier';
import { errorMessage } from '../../errors';
import { formatClock } from './format';
import { clampTime, FRAME_SECONDS, keyAction, ownedElsewhere, stepSpeed, type PlayerAction } from './keyboard';
import { DetectionBoxes } from './DetectionBoxes';
import { PlayerMenu, speedLabel } from './PlayerMenu';
import { useShowBoxes } from './useShowBoxes';

/** Whether this browser can show a video picture-in-picture. */
function pipAvailable(): boolean {
  return typeof document !== 'undefined' && !!document.pictureInPictureEnabled;
}

/**
 * The player (client guide §2.7): the clip (or the snapshot) of the selected
 * event with its controls; the ⋮ menu in the bottom-right corner holds
 * Download, Playback speed, PiP mode and the detection boxes drawn over the
 * picture (remembered in this browser). Keyboard: see keyboard.ts.
 */
export function Player({
  rec,
  canDownload,
  speed,
  onSpeed,
  onStep,
  hasPrev,
  hasNext,
  onMediaError,
  freshMedia,
  children,
}: {
  rec: Recording;
  canDownload: boolean;
  speed: number;
  onSpeed: (s: number) => void;
  /** Previous (-1, older) or next (1, newer) event. */
  onStep: (step: 1 | -1) => void;
  hasPrev: boolean;
  hasNext: boolean;
  /** The media could not be loaded (its signed URL may have expired): returns whether a fresh copy is coming. */
  onMediaError: () => boolean;
  /** The event's media with time left (fresh URLs read when these are about to expire), for Download. */
  freshMedia?: () => Promise<RecordingMedia | undefined>;
  /** What goes under the player (detections, details). */
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const video = useRef<HTMLVideoElement>(null);
  const image = useRef<HTMLImageElement>(null);
  const [boxes, setBoxes] = useShowBoxes();
  const frame = useRef<HTMLDivElement>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(rec.duration_ms / 1000);
  const [failed, setFailed] = useState(false);
  const isClip = rec.kind === 'clip';
  const latest = isClip ? rec.media.video_url : rec.media.image_url || rec.media.poster_url;
  // The URL shown: a fresh one of the same event (the old one expires) replaces it where the clip was,
  // at its time, paused or playing (resume, applied once the new URL's metadata is in).
  const [shown, setShown] = useState({ id: rec.id, src: latest });
  const resume = useRef<{ src: string; time: number; paused: boolean } | null>(null);
  const src = shown.id === rec.id ? shown.src : latest;
  useEffect(() => {
    if (shown.id === rec.id && shown.src === latest) return;
    const v = video.current;
    resume.current = shown.id === rec.id && v && v.readyState >= 1 && !v.error ? { src: latest, time: v.currentTime, paused: v.paused } : null;
    setShown({ id: rec.id, src: latest });
  }, [rec.id, latest, shown]);
  const ready = rec.status === 'ready' && !!src;

  useEffect(() => {
    setTime(0);
    setPlaying(false);
    setFailed(false);
    setDuration(rec.duration_ms / 1000);
  }, [rec.id, rec.duration_ms]);

  // The speed is the user's, kept from clip to clip (loading a clip resets the element's).
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.defaultPlaybackRate = speed;
    v.playbackRate = speed;
  }, [speed, src]);

  const act = useCallback(
    (a: PlayerAction) => {
      const v = video.current;
      if (a.kind === 'event') {
        if (a.step < 0 ? hasPrev : hasNext) onStep(a.step);
        return;
      }
      if (!v || !isClip) return;
      switch (a.kind) {
        case 'toggle':
          if (v.paused) void v.play().catch(() => undefined);
          else v.pause();
          break;
        case 'seek':
          v.currentTime = clampTime(v.currentTime + a.seconds, v.duration);
          break;
        case 'frame':
          v.pause();
          v.currentTime = clampTime(v.currentTime + a.step * FRAME_SECONDS, v.duration);
          break;
        case 'speed':
          onSpeed(stepSpeed(v.playbackRate, a.step));
          break;
      }
    },
    [hasPrev, hasNext, onStep, onSpeed, isClip],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || ownedElsewhere(e.target)) return;
      // A focused button keeps Enter; space on it would click it as well as play.
      const a = keyAction(e);
      if (!a) return;
      e.preventDefault();
      act(a);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [act]);

  const pip = async () => {
    const v = video.current;
    if (!v) return;
    try {
      if (document.pictureInPictureElement) await document.exitPictureInPicture();
      else await v.requestPictureInPicture();
    } catch (e) {
      notify(e instanceof Error && e.message ? `${t('recordings.player.pipUnsupported')} (${e.message})` : t('recordings.player.pipUnsupported'), 'error');
    }
  };

  // Download with URLs that still work: the link as it is when it has time left, else fresh ones read first.
  const download = (e: MouseEvent<HTMLElement>) => {
    if (!freshMedia) return;
    e.preventDefault();
    freshMedia().then(
      (m) => {
        if (!m?.download_url) return;
        const a = document.createElement('a');
        a.href = m.download_url;
        a.download = m.download_filename || '';
        a.style.display = 'none';
        document.body.appendChild(a);
        a.click();
        a.remove();
      },
      (err: unknown) => notify(errorMessage(err, t), 'error'),
    );
  };

  const fullscreen = () => {
    const el = frame.current;
    if (!el) return;
    if (document.fullscreenElement) void document.exitFullscreen();
    else void el.requestFullscreen?.().catch(() => undefined);
  };

  return (
    <Paper variant="outlined" sx={{ overflow: 'hidden' }} data-testid="player" data-id={rec.id}>
      {/* The stage keeps 16:9 whatever the picture (the page doesn't jump from event to event): other
          ratios are letterboxed. Full screen, it takes the height the controls leave. */}
      <Box ref={frame} sx={{ bgcolor: '#000', color: '#fff', display: 'flex', flexDirection: 'column', '&:fullscreen > [data-stage]': { aspectRatio: 'auto', flex: 1, minHeight: 0 } }}>
        <Box data-stage sx={{ position: 'relative', aspectRatio: '16 / 9', display: 'grid', placeItems: 'center', width: '100%', overflow: 'hidden' }}>
          {rec.status === 'processing' && <Status icon={<CircularProgress color="inherit" size={28} />} text={t('recordings.player.processing')} testId="player-processing" />}
          {rec.status === 'failed' && (
            <Box sx={{ p: 3, width: '100%' }}>
              <Alert severity="error" variant="filled" data-testid="player-failed">
                {rec.status_reason ? t('recordings.player.failed', { reason: rec.status_reason }) : t('recordings.player.failedNoReason')}
              </Alert>
            </Box>
          )}
          {ready && isClip && (
            <Box
              component="video"
              ref={video}
              key={rec.id}
              src={src}
              poster={rec.media.poster_url || undefined}
              autoPlay
              playsInline
              preload="auto"
              data-testid="player-video"
              onClick={() => act({ kind: 'toggle' })}
              onPlay={() => setPlaying(true)}
              onPause={() => setPlaying(false)}
              onEnded={() => setPlaying(false)}
              onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
              onLoadedMetadata={(e) => {
                const v = e.currentTarget;
                if (Number.isFinite(v.duration)) setDuration(v.duration);
                v.defaultPlaybackRate = speed;
                v.playbackRate = speed;
                const r = resume.current;
                if (r && r.src === src) {
                  resume.current = null;
                  v.currentTime = r.time;
                  if (r.paused) v.pause();
                  else void v.play().catch(() => undefined);
                }
              }}
              onError={() => {
                if (!onMediaError()) setFailed(true);
              }}
              sx={{ position: 'absolute', inset: 0, width: '100%', height: '100%', objectFit: 'contain', display: 'block', cursor: 'pointer' }}
            />
          )}
          {ready && !isClip && (
            <Box component="img" ref={image} key={rec.id} src={src} alt="" data-testid="player-image" onError={() => !onMediaError() && setFailed(true)} sx={{ position: 'absolute', inset: 0, width: '100%', height: '100%', objectFit: 'contain', display: 'block' }} />
          )}
          {ready && boxes && !failed && <DetectionBoxes media={isClip ? video : image} detections={rec.detections} watch={`${rec.id} ${src}`} />}
          {failed && (
            <Box sx={{ position: 'absolute', inset: 0, p: 3, display: 'grid', placeItems: 'center' }}>
              <Alert severity="warning" data-testid="player-media-error">
                {t('recordings.player.mediaError')}
              </Alert>
            </Box>
          )}
        </Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, px: 1, py: 0.25, bgcolor: 'rgba(255,255,255,0.04)' }}>
          <Tooltip title={`${t('recordings.player.previous')} (P)`}>
            <span>
              <IconButton onClick={() => onStep(-1)} disabled={!hasPrev} aria-label={t('recordings.player.previous')} data-testid="player-prev" sx={ctl}>
                <SkipPreviousIcon />
              </IconButton>
            </span>
          </Tooltip>
          {isClip && (
            <Tooltip title={`${playing ? t('recordings.player.pause') : t('recordings.player.play')} (K)`}>
              <span>
                <IconButton onClick={() => act({ kind: 'toggle' })} disabled={!ready} aria-label={playing ? t('recordings.player.pause') : t('recordings.player.play')} data-testid="player-play" data-playing={playing ? 'true' : 'false'} sx={ctl}>
                  {playing ? <PauseIcon /> : <PlayArrowIcon />}
                </IconButton>
              </span>
            </Tooltip>
          )}
          <Tooltip title={`${t('recordings.player.next')} (N)`}>
            <span>
              <IconButton onClick={() => onStep(1)} disabled={!hasNext} aria-label={t('recordings.player.next')} data-testid="player-next" sx={ctl}>
                <SkipNextIcon />
              </IconButton>
            </span>
          </Tooltip>
          {isClip && ready ? (
            <>
              <Typography variant="caption" sx={{ fontVariantNumeric: 'tabular-nums', mx: 1, whiteSpace: 'nowrap', color: 'rgba(255,255,255,0.85)' }} data-testid="player-time">
                {formatClock(time)} / {formatClock(duration)}
              </Typography>
              <Slider
                size="small"
                min={0}
                max={duration > 0 ? duration : 1}
                step={0.04}
                value={Math.min(time, duration || 0)}
                disabled={!ready}
                onChange={(_, v) => {
                  const el = video.current;
                  if (el && typeof v === 'number') el.currentTime = v;
                  if (typeof v === 'number') setTime(v);
                }}
                aria-label={t('recordings.player.seek')}
                sx={{ flex: 1, mx: 1, color: 'primary.light', '& .MuiSlider-thumb': { width: 12, height: 12 } }}
              />
              {speed !== 1 && (
                <Typography variant="caption" sx={{ fontWeight: 700, color: 'primary.light', mr: 0.5 }} data-testid="player-rate">
                  {speedLabel(speed, i18n.language)}
                </Typography>
              )}
              <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{t('recordings.player.keysHelp').split(' · ').join('\n')}</span>}>
                <IconButton aria-label={t('recordings.player.keys')} sx={ctl} data-testid="player-keys">
                  <KeyboardOutlinedIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </>
          ) : (
            <Box sx={{ flex: 1 }} />
          )}
          <Tooltip title={t('recordings.player.fullscreen')}>
            <IconButton onClick={fullscreen} aria-label={t('recordings.player.fullscreen')} sx={ctl}>
              <FullscreenIcon />
            </IconButton>
          </Tooltip>
          <Box sx={{ color: '#fff' }}>
            <PlayerMenu
              download={canDownload && rec.status !== 'processing' ? rec.media.download_url : ''}
              filename={rec.media.download_filename}
              onDownload={download}
              speed={speed}
              onSpeed={onSpeed}
              video={isClip && ready}
              pipSupported={pipAvailable()}
              onPip={() => void pip()}
              boxes={ready ? boxes : undefined}
              onBoxes={setBoxes}
            />
          </Box>
        </Box>
      </Box>
      {children}
    </Paper>
  );
}

const ctl = { color: 'rgba(255,255,255,0.9)', '&.Mui-disabled': { color: 'rgba(255,255,255,0.3)' } };

function Status({ icon, text, testId }: { icon: ReactNode; text: string; testId: string }) {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 1.5, p: 3, textAlign: 'center', color: 'rgba(255,255,255,0.85)' }} data-testid={testId}>
      {icon}
      <Typography variant="body2">{text}</Typography>
    </Box>
  );
}
