import { Box, useTheme } from '@mui/material';
import { useEffect, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Detection } from '../../api';
import { boxesAt, boxesKey, containRect, placeBox, scoreLabel, type Rect } from './boxes';
import { DetectionIcon, TYPE_COLORS, useTypeLabel } from './DetectionIcon';

/** Height of a box's label in pixels: under it, the label goes inside the box. */
const LABEL_PX = 20;

type Media = HTMLVideoElement | HTMLImageElement;
const isVideo = (el: Media): el is HTMLVideoElement => el.tagName === 'VIDEO';

/**
 * Where the picture of the media element lies in its parent (object-fit:
 * contain letterboxes it), kept up to date on resize, fullscreen and new
 * metadata. watch: changes when the element is replaced (another event).
 */
function usePictureRect(media: RefObject<Media | null>, watch: string): Rect | null {
  const [pic, setPic] = useState<Rect | null>(null);
  useEffect(() => {
    const el = media.current;
    if (!el) return;
    const measure = () => {
      const [mw, mh] = isVideo(el) ? [el.videoWidth, el.videoHeight] : [el.naturalWidth, el.naturalHeight];
      const r = containRect(mw, mh, el.clientWidth, el.clientHeight);
      // The element may not fill its parent (fullscreen caps its height): offset by its place in it.
      setPic(r && { ...r, left: r.left + el.offsetLeft, top: r.top + el.offsetTop });
    };
    measure();
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(el);
    const events = ['loadedmetadata', 'resize', 'load'];
    events.forEach((e) => el.addEventListener(e, measure));
    document.addEventListener('fullscreenchange', measure);
    window.addEventListener('resize', measure);
    return () => {
      ro?.disconnect();
      events.forEach((e) => el.removeEventListener(e, measure));
      document.removeEventListener('fullscreenchange', measure);
      window.removeEventListener('resize', measure);
    };
  }, [media, watch]);
  return pic;
}

/**
 * The detections on screen: for a video, those around its current time,
 * followed frame by frame while it plays (a render only when the set
 * changes); for a picture, all of them.
 */
function useShown(media: RefObject<Media | null>, detections: Detection[] | undefined, watch: string): Detection[] {
  const [shown, setShown] = useState<Detection[]>([]);
  useEffect(() => {
    const el = media.current;
    if (!el) return;
    let last: string | null = null;
    const update = () => {
      const next = isVideo(el) ? boxesAt(detections, el.currentTime * 1000) : boxesAt(detections, 0, true);
      const key = boxesKey(next);
      if (key === last) return;
      last = key;
      setShown(next);
    };
    update();
    if (!isVideo(el)) return;
    let frame = 0;
    const loop = () => {
      update();
      frame = requestAnimationFrame(loop);
    };
    const play = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(loop);
    };
    const stop = () => {
      cancelAnimationFrame(frame);
      update();
    };
    const events: [string, () => void][] = [['play', play], ['pause', stop], ['ended', stop], ['seeked', update], ['timeupdate', update]];
    events.forEach(([e, f]) => el.addEventListener(e, f));
    if (!el.paused) play();
    return () => {
      cancelAnimationFrame(frame);
      events.forEach(([e, f]) => el.removeEventListener(e, f));
    };
  }, [media, detections, watch]);
  return shown;
}

/**
 * The detection boxes drawn over the player's video or picture (client
 * guide §2.7, issue 5): each box with its type's colour, icon, name and
 * score, placed on the picture itself, not on the letterbox bars.
 */
export function DetectionBoxes({ media, detections, watch }: { media: RefObject<Media | null>; detections: Detection[] | undefined; watch: string }) {
  const { i18n } = useTranslation();
  const theme = useTheme();
  const pic = usePictureRect(media, watch);
  const shown = useShown(media, detections, watch);
  const typeLabel = useTypeLabel([...new Set((detections ?? []).map((d) => d.type))]);
  if (!pic) return null;
  return (
    <Box data-testid="detection-boxes" data-count={shown.length} sx={{ position: 'absolute', inset: 0, pointerEvents: 'none', overflow: 'hidden' }}>
      {shown.map((d, i) => {
        const r = placeBox(d.box, pic);
        const color = TYPE_COLORS[d.type] ?? theme.palette.secondary.main;
        const text = scoreLabel(typeLabel(d.type), d.score, i18n.language);
        // A HOLO4 algorithm's box is mostly the detector's box of the same object: its label goes
        // under the box so that the two don't cover each other, and above the others' labels (its
        // name is long); right of centre, labels grow leftwards so that they stay on the picture.
        const under = !(d.type in TYPE_COLORS);
        const inside = under ? pic.top + pic.height - (r.top + r.height) < LABEL_PX : r.top - pic.top < LABEL_PX;
        const leftward = r.left + r.width / 2 > pic.left + pic.width / 2;
        return (
          <Box
            key={`${d.type}-${d.start_offset_ms}-${i}`}
            data-testid="detection-box"
            data-type={d.type}
            title={d.label && d.label !== d.type ? `${text} (${d.label})` : text}
            style={{ left: r.left, top: r.top, width: r.width, height: r.height }}
            sx={{ position: 'absolute', border: `2px solid ${color}`, borderRadius: '3px', boxShadow: '0 0 0 1px rgba(0,0,0,0.45)' }}
          >
            <Box
              data-testid="detection-box-label"
              sx={{
                position: 'absolute',
                ...(leftward ? { right: -2 } : { left: -2 }),
                ...(under ? (inside ? { bottom: 0 } : { top: '100%' }) : inside ? { top: 0 } : { bottom: '100%' }),
                height: LABEL_PX,
                zIndex: under ? 1 : undefined,
                display: 'flex',
                alignItems: 'center',
                gap: 0.5,
                pl: 0.25,
                pr: 0.75,
                bgcolor: color,
                color: '#fff',
                fontSize: 12,
                fontWeight: 700,
                whiteSpace: 'nowrap',
                borderRadius: under || leftward ? '3px' : inside ? '0 0 3px 0' : '3px 3px 3px 0',
                fontVariantNumeric: 'tabular-nums',
              }}
            >
              <Box component="span" sx={{ display: 'inline-flex', bgcolor: '#fff', borderRadius: '50%', p: '1px', fontSize: 13 }}>
                <DetectionIcon type={d.type} fontSize="inherit" />
              </Box>
              {text}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
