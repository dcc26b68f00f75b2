import { Box, useTheme } from '@mui/material';
import { useEffect, useMemo, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Detection } from '../../api';
import { boxesAt, boxesKey, containRect, estimateTextWidth, placeBox, placeLabels, scoreLabel, scorePercent, type Rect } from './boxes';
import { DetectionIcon, TYPE_COLORS, useTypeLabel } from './DetectionIcon';

/** A label's height, font size, and the widths around its text, in pixels. */
const LABEL_PX = 20;
const FONT_PX = 12;
const PAD_LEFT = 2;
const ICON_PX = 15;
const GAP_PX = 4;
const PAD_RIGHT = 6;
/** Room for the difference between the measured text and the drawn one (rounding, kerning). */
const SLACK_PX = 3;
/**
 * A label wider than its box and than this that finds no room at its full
 * width is cut to it with an ellipsis (the full name is in the title).
 */
const LABEL_MAX_PX = 240;
/** The boxes' border width: a label is placed in its box's padding box. */
const BORDER_PX = 2;

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
 * The width in pixels of a text in the labels' font: measured on a canvas
 * where there is one (browsers), estimated otherwise (jsdom).
 */
function useTextWidth(fontFamily: string): (text: string) => number {
  return useMemo(() => {
    const ctx = typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1).getContext('2d');
    if (!ctx) return (text: string) => estimateTextWidth(text, FONT_PX);
    ctx.font = `700 ${FONT_PX}px ${fontFamily}`;
    return (text: string) => ctx.measureText(text).width;
  }, [fontFamily]);
}

/**
 * The detection boxes drawn over the player's video or picture (client
 * guide §2.7, issue 5): each box with its type's colour, icon, name and
 * score, placed on the picture itself, not on the letterbox bars. The
 * labels are laid out together so that none hides another and all stay on
 * the picture; a long HOLO4 name is cut with an ellipsis (full in the title
 * and in the event's detection chips).
 */
export function DetectionBoxes({ media, detections, watch }: { media: RefObject<Media | null>; detections: Detection[] | undefined; watch: string }) {
  const { i18n } = useTranslation();
  const theme = useTheme();
  const pic = usePictureRect(media, watch);
  const shown = useShown(media, detections, watch);
  const typeLabel = useTypeLabel([...new Set((detections ?? []).map((d) => d.type))]);
  const textWidth = useTextWidth(String(theme.typography.fontFamily ?? 'sans-serif'));
  if (!pic) return null;
  const items = shown.map((d) => {
    const box = placeBox(d.box, pic);
    const name = typeLabel(d.type);
    const pct = scorePercent(d.score, i18n.language);
    const natural = Math.ceil(PAD_LEFT + ICON_PX + GAP_PX + textWidth(name) + (pct ? GAP_PX + textWidth(pct) : 0) + PAD_RIGHT + SLACK_PX);
    const shortWidth = Math.min(natural, Math.max(box.width, LABEL_MAX_PX));
    return { d, box, name, pct, natural, width: natural, shortWidth, height: LABEL_PX, score: d.score };
  });
  // Labels never overlap and stay on the picture (see placeLabels); all are drawn over all boxes.
  const labels = placeLabels(items, pic);
  return (
    <Box data-testid="detection-boxes" data-count={shown.length} sx={{ position: 'absolute', inset: 0, pointerEvents: 'none', overflow: 'hidden' }}>
      {items.map(({ d, box: r, name, pct, natural }, i) => {
        const color = TYPE_COLORS[d.type] ?? theme.palette.secondary.main;
        const text = scoreLabel(name, d.score, i18n.language);
        const l = labels[i];
        return (
          <Box
            key={`${d.type}-${d.start_offset_ms}-${i}`}
            data-testid="detection-box"
            data-type={d.type}
            title={d.label && d.label !== d.type ? `${text} (${d.label})` : text}
            style={{ left: r.left, top: r.top, width: r.width, height: r.height }}
            sx={{ position: 'absolute', border: `${BORDER_PX}px solid ${color}`, borderRadius: '3px', boxShadow: '0 0 0 1px rgba(0,0,0,0.45)' }}
          >
            <Box
              data-testid="detection-box-label"
              data-truncated={l.width < natural ? 'true' : undefined}
              title={text}
              style={{ left: l.left - r.left - BORDER_PX, top: l.top - r.top - BORDER_PX, width: l.width }}
              sx={{
                position: 'absolute',
                boxSizing: 'border-box',
                height: LABEL_PX,
                zIndex: 1,
                display: 'flex',
                alignItems: 'center',
                gap: `${GAP_PX}px`,
                pl: `${PAD_LEFT}px`,
                pr: `${PAD_RIGHT}px`,
                overflow: 'hidden',
                bgcolor: color,
                color: '#fff',
                fontSize: FONT_PX,
                fontWeight: 700,
                lineHeight: 1,
                whiteSpace: 'nowrap',
                borderRadius: '3px',
                boxShadow: '0 1px 2px rgba(0,0,0,0.5)',
                fontVariantNumeric: 'tabular-nums',
              }}
            >
              <Box component="span" sx={{ display: 'inline-flex', flex: 'none', bgcolor: '#fff', borderRadius: '50%', p: '1px', fontSize: ICON_PX - 2 }}>
                <DetectionIcon type={d.type} fontSize="inherit" />
              </Box>
              <Box component="span" sx={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {name}
              </Box>
              {/* The space is for the label's text (copy, screen readers); the gap draws it. */}
              {pct && (
                <Box component="span" sx={{ flex: 'none' }}>
                  {` ${pct}`}
                </Box>
              )}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
