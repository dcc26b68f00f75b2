import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Detection, Recording } from '../../api';
import { CATALOGUE } from '../../test/fixtures';
import { makeMe, mockFetch, renderApp } from '../../test/utils';
import { Player } from './Player';
import { SHOW_BOXES_KEY } from './useShowBoxes';

const det = (type: string, box: number[], start: number, end: number, score = 0.83, label = type): Detection => ({
  type,
  label,
  source: 'model',
  score,
  box,
  start_offset_ms: start,
  end_offset_ms: end,
});

const DETECTIONS = [
  det('person', [0.5, 0.25, 0.25, 0.5], 0, 2000, 0.834, 'person'),
  det('animal', [0, 0.5, 0.5, 0.5], 4000, 6000, 0.91, 'dog'),
  det('no_helmet', [0.1, 0.1, 0.2, 0.3], 1000, 1500, 0.7),
  det('motion', [], 0, 8000, 1),
];

function recording(over: Partial<Recording> = {}): Recording {
  return {
    id: 'e1',
    camera_id: 'c1',
    camera_name: 'Parking',
    site_id: 's1',
    site_name: 'Magasin',
    recorder_id: 'r1',
    start: '2026-02-05T11:00:00Z',
    end: '2026-02-05T11:00:12Z',
    kind: 'clip',
    event_type: 'motion',
    status: 'ready',
    size: 1000,
    source_path: 'x.mp4',
    duration_ms: 12_000,
    width: 640,
    height: 480,
    detection_types: ['person', 'animal', 'no_helmet', 'motion'],
    detections: DETECTIONS,
    media: {
      video_url: '/media/o1/e1/video?sig=a',
      image_url: '/media/o1/e1/image?sig=a',
      thumbnail_url: '',
      poster_url: '',
      strip_url: '',
      download_url: '',
      download_filename: '',
      expires_at: '2099-01-01T00:00:00Z',
    },
    ...over,
  };
}

function renderPlayer(rec: Recording, language: 'fr' | 'en' = 'fr') {
  renderApp(
    <Player rec={rec} canDownload={false} speed={1} onSpeed={() => {}} onStep={() => {}} hasPrev={false} hasNext={false} onMediaError={() => false} />,
    { me: makeMe({}, { language }), route: '/recordings', path: '/recordings' },
  );
}

/** Gives a jsdom media element the sizes a browser would (jsdom lays nothing out). */
function size(el: HTMLElement, natural: [number, number], box: [number, number]) {
  const [nw, nh] = natural;
  const [w, h] = box;
  const props = el.tagName === 'VIDEO' ? { videoWidth: nw, videoHeight: nh } : { naturalWidth: nw, naturalHeight: nh };
  for (const [k, v] of Object.entries({ ...props, clientWidth: w, clientHeight: h, offsetLeft: 0, offsetTop: 0 })) {
    Object.defineProperty(el, k, { configurable: true, get: () => v });
  }
}

function setTime(el: HTMLElement, seconds: number) {
  Object.defineProperty(el, 'currentTime', { configurable: true, get: () => seconds, set: () => {} });
  fireEvent(el, new Event('timeupdate'));
}

const boxes = () => screen.queryAllByTestId('detection-box');
const px = (el: HTMLElement) => ['left', 'top', 'width', 'height'].map((k) => Math.round(parseFloat(el.style.getPropertyValue(k))));

describe('detection boxes on the player', () => {
  beforeEach(() => {
    localStorage.clear();
    mockFetch((c) => (c.url.startsWith('/api/v1/ai/packages') ? { body: CATALOGUE } : undefined));
    // jsdom has no media playback: autoplay's play() must not throw.
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  it('are off until asked for in the ⋮ menu, which remembers the choice', async () => {
    renderPlayer(recording());
    const video = await screen.findByTestId('player-video');
    size(video, [640, 480], [800, 450]);
    expect(screen.queryByTestId('detection-boxes')).toBeNull();

    fireEvent.click(within(screen.getByTestId('player')).getByTestId('player-menu'));
    const item = await screen.findByTestId('player-boxes');
    expect(item).toHaveTextContent('Afficher les cadres de détection');
    expect(item).toHaveAttribute('aria-checked', 'false');
    fireEvent.click(item);
    expect(item).toHaveAttribute('aria-checked', 'true');
    expect(localStorage.getItem(SHOW_BOXES_KEY)).toBe('1');
    await screen.findByTestId('detection-boxes');

    fireEvent.click(item);
    expect(localStorage.getItem(SHOW_BOXES_KEY)).toBe('0');
    await waitFor(() => expect(screen.queryByTestId('detection-boxes')).toBeNull());
  });

  it('draw the boxes of the current time on the letterboxed picture, with type and score', async () => {
    localStorage.setItem(SHOW_BOXES_KEY, '1');
    renderPlayer(recording());
    const video = await screen.findByTestId('player-video');
    // A 4:3 video in a 16:9 element: drawn 600×450 with 100 px bars each side.
    size(video, [640, 480], [800, 450]);
    setTime(video, 0.5);
    fireEvent(video, new Event('loadedmetadata'));

    await waitFor(() => expect(boxes().map((b) => b.dataset.type)).toEqual(['person']));
    expect(px(boxes()[0])).toEqual([100 + 300, 113, 150, 225]) // 112.5 rounded;
    expect(within(boxes()[0]).getByTestId('detection-box-label').textContent?.replace(/\s/gu, ' ')).toBe('Personne 83 %');

    // At 1.2 s the HOLO4 algorithm is on screen too, named from the catalogue.
    act(() => setTime(video, 1.2));
    await waitFor(() => expect(boxes().map((b) => b.dataset.type)).toEqual(['person', 'no_helmet']));
    await waitFor(() => expect(boxes()[1]).toHaveTextContent("Détection d'absence de casque"));

    // At 4.5 s only the dog; the motion without a box is never drawn.
    act(() => setTime(video, 4.5));
    await waitFor(() => expect(boxes().map((b) => b.dataset.type)).toEqual(['animal']));
    expect(px(boxes()[0])).toEqual([100, 225, 300, 225]);
    expect(boxes()[0]).toHaveAttribute('title', expect.stringContaining('(dog)'));

    act(() => setTime(video, 7));
    await waitFor(() => expect(boxes()).toHaveLength(0));
  });

  it('follow the element when it is resized (full screen)', async () => {
    localStorage.setItem(SHOW_BOXES_KEY, '1');
    renderPlayer(recording());
    const video = await screen.findByTestId('player-video');
    size(video, [640, 480], [800, 450]);
    setTime(video, 5);
    fireEvent(video, new Event('loadedmetadata'));
    await waitFor(() => expect(px(boxes()[0])).toEqual([100, 225, 300, 225]));
    // Full screen on a 1920×1080 screen: the picture is 1440×1080, 240 px bars.
    size(video, [640, 480], [1920, 1080]);
    act(() => {
      document.dispatchEvent(new Event('fullscreenchange'));
    });
    await waitFor(() => expect(px(boxes()[0])).toEqual([240, 540, 720, 540]));
  });

  it('draw every box of a snapshot on the image, in English', async () => {
    localStorage.setItem(SHOW_BOXES_KEY, '1');
    renderPlayer(recording({ kind: 'snapshot', duration_ms: 0 }), 'en');
    const img = await screen.findByTestId('player-image');
    // A 16:9 picture in a square element: bars above and below.
    size(img, [1280, 720], [400, 400]);
    fireEvent.load(img);
    await waitFor(() => expect(boxes().map((b) => b.dataset.type)).toEqual(['person', 'animal', 'no_helmet']));
    expect(px(boxes()[1])).toEqual([0, 200, 200, 113]);
    expect(boxes()[0]).toHaveTextContent('Person 83%');
  });

  it('lay the labels of close boxes out apart on the picture, a name too long cut but whole in the title', async () => {
    localStorage.setItem(SHOW_BOXES_KEY, '1');
    // The HOLO4 screenshot's case: a truck, the same pick-up as a yellow taxi, a bicycle and a dog
    // under them, in the picture's upper right.
    const close = [
      det('vehicle', [0.62, 0.05, 0.28, 0.2], 0, 2000, 0.36, 'truck'),
      det('yellow_taxi', [0.63, 0.06, 0.27, 0.19], 0, 2000, 0.28),
      det('vehicle', [0.15, 0.2, 0.7, 0.6], 0, 2000, 0.31, 'bicycle'),
      det('animal', [0.17, 0.22, 0.25, 0.7], 0, 2000, 0.3, 'dog'),
    ];
    renderPlayer(recording({ detections: close, detection_types: ['vehicle', 'yellow_taxi', 'animal'] }));
    const video = await screen.findByTestId('player-video');
    // A 4:3 video in a small 16:9 element: the picture is 240×180 between 40 px bars.
    size(video, [640, 480], [320, 180]);
    setTime(video, 1);
    fireEvent(video, new Event('loadedmetadata'));
    await waitFor(() => expect(boxes()).toHaveLength(4));
    await waitFor(() => expect(boxes()[1]).toHaveTextContent("Détection de la présence d'un taxi jaune"));
    // Each label's rectangle on the element: its box's place plus its own in the box's padding box.
    const rects = boxes().map((b) => {
      const [bl, bt] = px(b);
      const label = within(b).getByTestId('detection-box-label');
      const [ll, lt, lw] = px(label);
      return { left: bl + 2 + ll, top: bt + 2 + lt, width: lw, height: 20 };
    });
    for (const [i, a] of rects.entries()) {
      expect(a.left).toBeGreaterThanOrEqual(40);
      expect(a.left + a.width).toBeLessThanOrEqual(40 + 240 + 1);
      expect(a.top).toBeGreaterThanOrEqual(0);
      expect(a.top + a.height).toBeLessThanOrEqual(180 + 1);
      for (const b of rects.slice(i + 1)) {
        const apart = a.left + a.width <= b.left || b.left + b.width <= a.left || a.top + a.height <= b.top || b.top + b.height <= a.top;
        expect(apart, `${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`).toBe(true);
      }
    }
    // The taxi's long name is wider than the picture: cut, but whole in the text and the title.
    const taxi = within(boxes()[1]).getByTestId('detection-box-label');
    expect(taxi).toHaveAttribute('data-truncated', 'true');
    expect(taxi.textContent?.replace(/\s/gu, ' ')).toBe("Détection de la présence d'un taxi jaune 28 %");
    expect(taxi.getAttribute('title')?.replace(/\s/gu, ' ')).toBe("Détection de la présence d'un taxi jaune 28 %");
    expect(within(boxes()[0]).getByTestId('detection-box-label')).not.toHaveAttribute('data-truncated');
  });

  it('offer the toggle in English too', async () => {
    renderPlayer(recording(), 'en');
    fireEvent.click(within(await screen.findByTestId('player')).getByTestId('player-menu'));
    expect(await screen.findByTestId('player-boxes')).toHaveTextContent('Show detection boxes');
  });
});
