import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Camera, Recording } from '../../api';
import { list, makeCameras, makeRecording, SITES } from '../../test/fixtures';
import { makeMe, mockFetch, renderApp, type Call } from '../../test/utils';
import RecordingsPage from '../RecordingsPage';

const PERMS = ['recordings.view', 'recordings.download', 'cameras.view', 'sites.view', 'recorders.view'];

const CAMERAS: Camera[] = [
  ...makeCameras(2, { recorder_id: 'rA', recorder_name: 'Dahua' }),
  ...makeCameras(1, { recorder_id: 'rB', recorder_name: 'Hikvision' }).map((c) => ({ ...c, id: 'h1', name: 'Caisse' })),
];

const rec = (i: number, over: Partial<Recording> = {}): Recording =>
  makeRecording(i, { detection_types: i % 2 ? ['person'] : ['motion', 'vehicle'], ...over });

const EVENTS = Array.from({ length: 4 }, (_, i) => rec(i));
const HISTOGRAM = {
  date: '2026-02-05',
  timezone: 'Africa/Tunis',
  buckets: Array.from({ length: 24 }, (_, h) => ({ start: new Date(Date.UTC(2026, 1, 4, 23 + h)).toISOString(), count: h === 12 ? 4 : 0 })),
};

const path = (c: Call) => c.url.split('?')[0];
const params = (c: Call) => new URL(c.url, 'http://x').searchParams;

function backend(extra?: Parameters<typeof mockFetch>[0], events: Recording[] = EVENTS, total = 896) {
  return mockFetch((c) => {
    const r = extra?.(c);
    if (r) return r;
    const p = path(c);
    if (p === '/api/v1/orgs/o1/sites') return { body: list(SITES) };
    if (p === '/api/v1/orgs/o1/cameras') return { body: list(params(c).get('site_id') === 's1' ? CAMERAS : []) };
    if (p === '/api/v1/orgs/o1/recordings/calendar') {
      return { body: { month: params(c).get('month') ?? '2026-02', timezone: 'Africa/Tunis', days: ['2026-02-03', '2026-02-05'], last_day: '2026-02-05' } };
    }
    if (p === '/api/v1/orgs/o1/recordings/histogram') return { body: HISTOGRAM };
    if (p === '/api/v1/orgs/o1/recordings') {
      const cursor = params(c).get('cursor');
      return cursor ? { body: { items: [rec(10)], total, next_cursor: '' } } : { body: { items: events, total, next_cursor: 'more' } };
    }
    const m = /^\/api\/v1\/orgs\/o1\/recordings\/(.+)$/.exec(p);
    if (m) {
      const found = [...events, rec(10)].find((e) => e.id === m[1]);
      return found
        ? { body: { ...found, detections: [{ type: 'person', label: 'person', source: 'model', score: 0.9, box: [0, 0, 0, 0], start_offset_ms: 4000, end_offset_ms: 6000 }] } }
        : { status: 404, body: { code: 'not_found', message: 'Introuvable.' } };
    }
    return undefined;
  });
}

function Where() {
  const loc = useLocation();
  return <div data-testid="where">{loc.search}</div>;
}

const render = (route = '/recordings', permissions = PERMS) =>
  renderApp(
    <>
      <RecordingsPage />
      <Where />
    </>,
    { me: makeMe({ permissions }), route, path: '/recordings' },
  );

const listCalls = (calls: Call[]) => calls.filter((c) => path(c) === '/api/v1/orgs/o1/recordings');

describe('RecordingsPage', () => {
  beforeEach(() => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
      this.dispatchEvent(new Event('play'));
      return Promise.resolve();
    });
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(function (this: HTMLMediaElement) {
      this.dispatchEvent(new Event('pause'));
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("opens with the guide's defaults: first site, first channel of the first device, last day, every type", async () => {
    const { calls } = backend();
    render();
    expect(await screen.findByTestId('events-total')).toHaveTextContent('896 événements');
    const call = listCalls(calls)[0];
    expect(call.url).toBe('/api/v1/orgs/o1/recordings?site_id=s1&camera_ids=c1&from=2026-02-05&to=2026-02-05&limit=48');
    // The default day came from the calendar of that camera.
    expect(calls.find((c) => path(c).endsWith('/calendar'))!.url).toBe('/api/v1/orgs/o1/recordings/calendar?site_id=s1&camera_ids=c1');
    expect(screen.getByTestId('site-select')).toHaveTextContent('default site');
    expect(screen.getByTestId('camera-select')).toHaveTextContent('CH_1');
    expect(screen.getByTestId('period-from')).toHaveTextContent('00:00 05/02');
    expect(screen.getByTestId('period-to')).toHaveTextContent('23:59 05/02');
    expect(screen.getByTestId('detections-button')).toHaveTextContent('Détections');
    const cards = screen.getAllByTestId('event-card');
    expect(cards).toHaveLength(4);
    // Time in the site's zone (Tunis, UTC+1), camera and detection icons.
    expect(within(cards[0]).getByTestId('event-time')).toHaveTextContent('12:00:00');
    expect(within(cards[0]).getByTestId('event-camera')).toHaveTextContent('CH_1');
    expect(within(cards[0]).getAllByRole('img').map((i) => i.getAttribute('aria-label'))).toEqual(['Mouvement', 'Véhicule']);
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('?site=s1&cameras=c1&from=2026-02-05&to=2026-02-05'));
  });

  it("falls back to today when the camera has no recordings", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-10T23:30:00Z') });
    try {
      const { calls } = backend((c) => (path(c).endsWith('/calendar') ? { body: { month: '2026-03', timezone: 'Africa/Tunis', days: [], last_day: '' } } : undefined), [], 0);
      render();
      expect(await screen.findByTestId('events-empty')).toHaveTextContent('Aucun événement pour ces filtres');
      // 23:30 UTC is already the 11th in Tunis.
      expect(listCalls(calls)[0].url).toContain('from=2026-03-11&to=2026-03-11');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the empty state without sites, and the reason when the site has no cameras', async () => {
    mockFetch((c) => (path(c) === '/api/v1/orgs/o1/sites' ? { body: list([]) } : undefined));
    const first = render();
    expect(await screen.findByTestId('recordings-empty')).toHaveTextContent("Aucun enregistrement pour l'instant");
    first.unmount();
    backend();
    render('/recordings?site=s2');
    expect(await screen.findByTestId('recordings-no-cameras')).toHaveTextContent('Aucune caméra sur ce site');
  });

  it('picks a period in the calendar: days with recordings circled, start, end, Apply', async () => {
    const { calls } = backend();
    render();
    await screen.findByTestId('events-total');
    fireEvent.click(screen.getByTestId('period-button'));
    const cal = await screen.findByTestId('period-calendar');
    await waitFor(() => expect(cal.querySelectorAll('[data-available="true"]')).toHaveLength(2));
    const day = (d: string) => cal.querySelector(`[data-day="2026-02-${d}"]`) as HTMLElement;
    expect(day('03')).toHaveAttribute('data-available', 'true');
    expect(day('04')).toHaveAttribute('data-available', 'false');
    expect(day('05')).toHaveAttribute('data-role', 'single');
    fireEvent.click(day('03'));
    expect(day('03')).toHaveAttribute('data-role', 'single');
    fireEvent.click(day('05'));
    expect([day('03'), day('04'), day('05')].map((d) => d.dataset.role)).toEqual(['start', 'inside', 'end']);
    fireEvent.change(screen.getByTestId('period-start-time'), { target: { value: '8h30' } });
    fireEvent.click(screen.getByTestId('period-apply'));
    await waitFor(() => expect(listCalls(calls).at(-1)!.url).toContain('from=2026-02-03T08%3A30&to=2026-02-05&'));
    expect(screen.getByTestId('period-from')).toHaveTextContent('08:30 03/02');
    expect(await screen.findByTestId('events-heading')).toHaveTextContent('03/02/2026 – 05/02/2026');
    // The timeline shows the period's last day; its arrows move within the period.
    expect(screen.getByTestId('timeline-title')).toHaveTextContent('05/02/2026');
    expect(screen.getByTestId('timeline-next-day')).toBeDisabled();
    fireEvent.click(screen.getByTestId('timeline-prev-day'));
    expect(screen.getByTestId('timeline-title')).toHaveTextContent('04/02/2026');
    await waitFor(() => expect(calls.some((c) => c.url.includes('/histogram') && c.url.includes('date=2026-02-04'))).toBe(true));
  });

  it('shows a single day with one click and Apply, and refuses an end before the start', async () => {
    const { calls } = backend();
    render();
    await screen.findByTestId('events-total');
    fireEvent.click(screen.getByTestId('period-button'));
    const cal = await screen.findByTestId('period-calendar');
    fireEvent.click(cal.querySelector('[data-day="2026-02-03"]')!);
    fireEvent.change(screen.getByTestId('period-start-time'), { target: { value: '18:00' } });
    fireEvent.change(screen.getByTestId('period-end-time'), { target: { value: '17:00' } });
    expect(screen.getByTestId('period-apply')).toBeDisabled();
    expect(screen.getByText("L'heure de fin précède l'heure de début.")).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('period-end-time'), { target: { value: '23:59' } });
    fireEvent.click(screen.getByTestId('period-apply'));
    await waitFor(() => expect(listCalls(calls).at(-1)!.url).toContain('from=2026-02-03T18%3A00&to=2026-02-03&'));
  });

  it('filters on detection types: all selected sends none', async () => {
    const { calls } = backend();
    render();
    await screen.findByTestId('events-total');
    fireEvent.click(screen.getByTestId('detections-button'));
    const pop = await screen.findByTestId('detections-popover');
    for (const k of ['motion', 'person', 'vehicle', 'animal']) expect(within(pop).getByTestId(`detection-${k}`)).toBeChecked();
    fireEvent.click(within(pop).getByTestId('detection-motion'));
    fireEvent.click(within(pop).getByTestId('detections-apply'));
    await waitFor(() => expect(listCalls(calls).at(-1)!.url).toContain('detections=person%2Cvehicle%2Canimal'));
    expect(screen.getByTestId('detections-button')).toHaveTextContent('Détections (3/4)');
    expect(screen.getByTestId('where').textContent).toContain('types=person%2Cvehicle%2Canimal');
    fireEvent.click(screen.getByTestId('detections-button'));
    const again = await screen.findByTestId('detections-popover');
    fireEvent.click(within(again).getByTestId('detections-none'));
    expect(within(again).getByTestId('detections-apply')).toBeDisabled();
    fireEvent.click(within(again).getByTestId('detections-all'));
    fireEvent.click(within(again).getByTestId('detections-apply'));
    await waitFor(() => expect(listCalls(calls).at(-1)!.url).not.toContain('detections='));
  });

  it('changes cameras, keeping at least one', async () => {
    const { calls } = backend();
    render();
    await screen.findByTestId('events-total');
    fireEvent.mouseDown(screen.getByTestId('camera-select'));
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getByText('Dahua')).toBeInTheDocument();
    expect(within(listbox).getByText('Hikvision')).toBeInTheDocument();
    fireEvent.click(within(listbox).getByText('Caisse'));
    await waitFor(() => expect(listCalls(calls).at(-1)!.url).toContain('camera_ids=c1%2Ch1'));
    fireEvent.click(within(listbox).getByText('CH_1'));
    await waitFor(() => expect(listCalls(calls).at(-1)!.url).toContain('camera_ids=h1&'));
    const n = listCalls(calls).length;
    fireEvent.click(within(listbox).getByText('Caisse'));
    // The last camera stays.
    expect(listCalls(calls)).toHaveLength(n);
  });

  it('plays an event with its detections under the player, and the ⋮ menu', async () => {
    backend();
    render();
    fireEvent.click((await screen.findAllByTestId('event-card'))[1]);
    const player = await screen.findByTestId('player');
    expect(within(player).getByTestId('player-video')).toHaveAttribute('src', '/media/o1/e1/video?sig=a');
    await waitFor(() => expect(within(player).getAllByTestId('player-detection').map((c) => c.dataset.type)).toEqual(['person']));
    expect(screen.getByTestId('where').textContent).toContain('event=e1');
    fireEvent.click(within(player).getByTestId('player-menu'));
    const download = await screen.findByTestId('player-download');
    expect(download).toHaveAttribute('href', '/media/o1/e1/download?sig=a');
    expect(download).toHaveAttribute('download', 'CH_1_e1.mp4');
    expect(download).toHaveTextContent('Télécharger');
    expect(screen.getByTestId('player-pip')).toHaveTextContent('Mode PIP');
    fireEvent.click(screen.getByTestId('player-speed'));
    const speeds = await screen.findAllByTestId('speed-option');
    expect(speeds.map((s) => s.dataset.speed)).toEqual(['16', '8', '4', '2', '1.5', '1', '0.5', '0.25']);
    fireEvent.click(speeds.find((s) => s.dataset.speed === '4')!);
    const video = within(player).getByTestId('player-video') as HTMLVideoElement;
    await waitFor(() => expect(video.playbackRate).toBe(4));
    expect(within(player).getByTestId('player-rate')).toHaveTextContent('4×');
  });

  it('hides Download without the permission', async () => {
    backend();
    render('/recordings', PERMS.filter((p) => p !== 'recordings.download'));
    fireEvent.click((await screen.findAllByTestId('event-card'))[0]);
    fireEvent.click(within(await screen.findByTestId('player')).getByTestId('player-menu'));
    await screen.findByTestId('player-speed');
    expect(screen.queryByTestId('player-download')).toBeNull();
  });

  it('answers space, J/K/L, the arrows and P/N', async () => {
    backend();
    render();
    fireEvent.click((await screen.findAllByTestId('event-card'))[1]);
    const video = (await screen.findByTestId('player-video')) as HTMLVideoElement;
    Object.defineProperty(video, 'duration', { value: 30, configurable: true });
    let paused = true;
    Object.defineProperty(video, 'paused', { get: () => paused, configurable: true });
    const play = vi.mocked(HTMLMediaElement.prototype.play);
    play.mockClear();
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(play).toHaveBeenCalledTimes(1);
    paused = false;
    fireEvent.keyDown(document.body, { key: 'k' });
    expect(HTMLMediaElement.prototype.pause).toHaveBeenCalled();
    video.currentTime = 12;
    fireEvent.keyDown(document.body, { key: 'l' });
    expect(video.currentTime).toBe(22);
    fireEvent.keyDown(document.body, { key: 'ArrowLeft' });
    expect(video.currentTime).toBe(17);
    fireEvent.keyDown(document.body, { key: 'J' });
    expect(video.currentTime).toBe(7);
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(video.currentTime).toBe(0);
    // Keys typed in a field are the field's.
    const input = document.createElement('input');
    document.body.appendChild(input);
    fireEvent.keyDown(input, { key: 'l' });
    expect(video.currentTime).toBe(0);
    input.remove();
    // N: the next (newer) event; P: the previous (older) one.
    fireEvent.keyDown(document.body, { key: 'n' });
    await waitFor(() => expect(screen.getByTestId('player')).toHaveAttribute('data-id', 'e0'));
    expect(screen.getByTestId('player-next')).toBeDisabled();
    fireEvent.keyDown(document.body, { key: 'p' });
    await waitFor(() => expect(screen.getByTestId('player')).toHaveAttribute('data-id', 'e1'));
  });

  it('steps to an older event on a page not loaded yet', async () => {
    const { calls } = backend();
    render();
    const cards = await screen.findAllByTestId('event-card');
    fireEvent.click(cards[3]);
    await screen.findByTestId('player');
    fireEvent.click(screen.getByTestId('player-prev'));
    await waitFor(() => expect(screen.getByTestId('player')).toHaveAttribute('data-id', 'e10'));
    expect(listCalls(calls).at(-1)!.url).toContain('cursor=more');
  });

  it('loads more events with next_cursor', async () => {
    const { calls } = backend();
    render();
    await screen.findByTestId('events-total');
    fireEvent.click(screen.getByTestId('events-more'));
    await waitFor(() => expect(screen.getAllByTestId('event-card')).toHaveLength(5));
    expect(listCalls(calls).at(-1)!.url).toContain('&limit=48&cursor=more');
    expect(await screen.findByTestId('events-end')).toBeInTheDocument();
  });

  it('opens the event of a shared link in its site, camera and day', async () => {
    const shared = rec(0, { id: 'x9', site_id: 's1', camera_id: 'h1', camera_name: 'Caisse', start: '2026-02-03T22:30:00Z', detection_types: [] });
    const { calls } = backend((c) => (path(c) === '/api/v1/orgs/o1/recordings/x9' ? { body: { ...shared, detections: [] } } : undefined));
    render('/recordings?event=x9');
    const player = await screen.findByTestId('player');
    expect(player).toHaveAttribute('data-id', 'x9');
    // 22:30 UTC on the 3rd is 23:30 in Tunis: the 3rd.
    await waitFor(() => expect(listCalls(calls)[0].url).toContain('camera_ids=h1&from=2026-02-03&to=2026-02-03'));
    expect(screen.getByTestId('where').textContent).toContain('event=x9');
    expect(within(player).getByTestId('player-detections')).toHaveTextContent('Aucune détection pour cet événement.');
  });

  it("says so when a shared event can't be opened, and shows the defaults", async () => {
    backend();
    render('/recordings?event=gone');
    expect(await screen.findByTestId('event-missing')).toHaveTextContent("Cet événement n'existe plus ou vous n'y avez pas accès.");
    expect(await screen.findByTestId('events-total')).toBeInTheDocument();
  });

  it('copies the link to an event', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    backend();
    render();
    fireEvent.click((await screen.findAllByTestId('event-card'))[0]);
    fireEvent.click(await screen.findByTestId('player-copy-link'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/recordings?event=e0`));
    expect(await screen.findByTestId('toast')).toHaveTextContent('Lien copié');
  });

  it('shows processing and failed events', async () => {
    const events = [rec(0, { status: 'processing', media: { ...rec(0).media, video_url: '', thumbnail_url: '' } }), rec(1, { status: 'failed', status_reason: 'Fichier illisible.' })];
    backend(undefined, events, 2);
    render();
    const cards = await screen.findAllByTestId('event-card');
    expect(within(cards[0]).getByTestId('event-processing')).toHaveTextContent('Traitement…');
    expect(within(cards[1]).getByTestId('event-failed')).toHaveTextContent('Échec');
    fireEvent.click(cards[1]);
    expect(await screen.findByTestId('player-failed')).toHaveTextContent('Cette vidéo n\'a pas pu être traitée : Fichier illisible.');
    fireEvent.click(cards[0]);
    expect(await screen.findByTestId('player-processing')).toBeInTheDocument();
  });

  it('reads processing events again until they are ready', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let ready = false;
      const processing = rec(0, { status: 'processing', media: { ...rec(0).media, video_url: '', thumbnail_url: '' } });
      backend((c) => (path(c) === '/api/v1/orgs/o1/recordings/e0' ? { body: ready ? rec(0) : processing } : undefined), [processing, rec(1)], 2);
      render();
      const card = () => screen.getAllByTestId('event-card')[0];
      await waitFor(() => expect(card()).toHaveAttribute('data-status', 'processing'));
      await act(async () => {
        await vi.advanceTimersByTimeAsync(5000);
      });
      expect(card()).toHaveAttribute('data-status', 'processing');
      ready = true;
      await act(async () => {
        await vi.advanceTimersByTimeAsync(5000);
      });
      await waitFor(() => expect(card()).toHaveAttribute('data-status', 'ready'));
      expect(within(card()).queryByTestId('event-processing')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows list errors with a retry', async () => {
    let fail = true;
    backend((c) => (path(c) === '/api/v1/orgs/o1/recordings' && fail ? { status: 503, body: { code: 'unavailable', message: 'Service indisponible.' } } : undefined));
    render();
    expect(await screen.findByTestId('events-error')).toHaveTextContent('Service indisponible.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Réessayer' }));
    expect(await screen.findByTestId('events-total')).toHaveTextContent('896 événements');
  });

  it('draws the timeline of the day and jumps to the nearest event on click', async () => {
    const { calls } = backend();
    render();
    const strip = await screen.findByTestId('timeline-strip');
    await waitFor(() => expect(within(strip).getAllByTestId('timeline-bucket')).toHaveLength(24));
    expect(calls.find((c) => path(c).endsWith('/histogram'))!.url).toBe('/api/v1/orgs/o1/recordings/histogram?site_id=s1&camera_ids=c1&date=2026-02-05');
    vi.spyOn(strip, 'getBoundingClientRect').mockReturnValue({ left: 0, width: 240, top: 0, height: 20, right: 240, bottom: 20, x: 0, y: 0, toJSON: () => ({}) });
    // A click at 03:00 goes to the only busy hour (12:00 in Tunis).
    await act(async () => {
      fireEvent.click(strip, { clientX: 30 });
    });
    await waitFor(() => expect(screen.getByTestId('player')).toHaveAttribute('data-id', 'e0'));
    const jump = listCalls(calls).find((c) => c.url.includes('limit=500'))!;
    expect(jump.url).toContain('from=2026-02-05T11%3A00%3A00.000Z&to=2026-02-05T12%3A00%3A00.000Z');
    expect(await screen.findByTestId('timeline-marker')).toBeInTheDocument();
  });
});
