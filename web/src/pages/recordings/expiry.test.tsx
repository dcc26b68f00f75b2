import { act, fireEvent, renderHook, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, type Recording } from '../../api';
import { makeRecording } from '../../test/fixtures';
import { makeMe, mockFetch, renderApp, type Call } from '../../test/utils';
import { dayPeriod } from './dates';
import { EventList } from './EventList';
import { backoff, margin, nextRefresh, stale } from './expiry';
import { Player } from './Player';
import { useRecordingList, type ListParams } from './useRecordingList';
import { useSelection } from './useSelection';

const HOUR = 3600;
const T0 = new Date('2026-02-05T12:00:00Z');
const PARAMS: ListParams = { site_id: 's1', camera_ids: ['c1'], from: '2026-02-05', to: '2026-02-05' };

/** A recording as the API answers it, its URLs signed with `sig` and valid for `life` seconds. */
function rec(i: number, sig = 'a', life = HOUR): Recording {
  const url = (v: string) => `/media/o1/e${i}/${v}?sig=${sig}`;
  return makeRecording(i, {
    site_name: 'Site',
    recorder_id: 'r1',
    media: {
      video_url: url('video'),
      image_url: '',
      thumbnail_url: url('thumbnail'),
      poster_url: url('poster'),
      strip_url: url('strip'),
      download_url: url('download'),
      download_filename: `CH_1_e${i}.mp4`,
      // The server's clock is an hour off this browser's: expires_in is what counts.
      expires_at: new Date(Date.now() + 3_600_000 + life * 1000).toISOString(),
      expires_in: life,
    },
  });
}

const isList = (c: Call) => c.url.split('?')[0] === '/api/v1/orgs/o1/recordings';
const query = (c: Call) => new URL(c.url, 'http://x').searchParams;

/** Lets answered fetches (and the renders they cause) through, moving the fake clock by ms. */
async function tick(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
  for (let i = 0; i < 5; i++) await act(async () => void (await Promise.resolve()));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('expiry rules', () => {
  it('refreshes a quarter of the life before the deadline, 5 minutes at most, 1 s at least', () => {
    const m = (life: number) => ({ ...rec(0).media, expires_in: life, valid_until: Date.now() + life * 1000 });
    expect(margin(m(HOUR))).toBe(300_000);
    expect(margin(m(8))).toBe(2000);
    expect(margin(m(2))).toBe(1000);
    expect(stale(m(HOUR))).toBe(false);
    expect(stale(m(HOUR), Date.now() + 3_300_000)).toBe(true);
    // Processing events without URLs, and ids left out, need nothing.
    const none = { ...rec(1), media: { ...rec(1).media, video_url: '', thumbnail_url: '', poster_url: '', strip_url: '', download_url: '' } };
    expect(nextRefresh([none])).toBe(Infinity);
    expect(nextRefresh([{ ...rec(2), media: m(8) }], new Set(['e2']))).toBe(Infinity);
    expect([1, 2, 3, 10, 20].map(backoff)).toEqual([2000, 4000, 8000, 300_000, 300_000]);
  });
});

describe('list', () => {
  it('reads fresh URLs for the whole loaded list in one request before they expire, in place', async () => {
    let sig = 'a';
    const { calls } = mockFetch((c) => {
      if (!isList(c)) return undefined;
      // Five events, limit at a time after the cursor (an index here).
      const from = Number(query(c).get('cursor') ?? 0);
      const to = Math.min(5, from + Number(query(c).get('limit')));
      const items = Array.from({ length: to - from }, (_, k) => rec(from + k, sig));
      return { body: { items, total: 5, next_cursor: to < 5 ? String(to) : '' } };
    });
    const { result } = renderHook(() => useRecordingList('o1', PARAMS, 3));
    await tick();
    act(() => result.current.loadMore());
    await tick();
    expect(result.current.items.map((r) => r.id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(calls).toHaveLength(2);

    // 55 minutes on (5 before the end of the hour): nothing yet.
    sig = 'b';
    await tick(3_300_000 - 1000);
    expect(calls).toHaveLength(2);
    await tick(2000);
    expect(calls).toHaveLength(3);
    const q = query(calls[2]);
    expect(q.get('cursor')).toBeNull();
    expect(Number(q.get('limit'))).toBeGreaterThanOrEqual(5);
    expect(result.current.items.map((r) => r.id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(result.current.items.every((r) => r.media.thumbnail_url.endsWith('sig=b'))).toBe(true);
    expect(result.current.total).toBe(5);

    // And again an hour later, not before.
    await tick(3_000_000);
    expect(calls).toHaveLength(3);
    await tick(400_000);
    expect(calls).toHaveLength(4);
  });

  it('backs off when the refresh fails, one request at a time, and stops once it works', async () => {
    let down = false;
    const { calls } = mockFetch((c) => {
      if (!isList(c)) return undefined;
      if (down) return { status: 503, body: { code: 'unavailable', message: 'down' } };
      return { body: { items: [rec(0, 'a', 8)], total: 1, next_cursor: '' } };
    });
    const { result } = renderHook(() => useRecordingList('o1', PARAMS));
    await tick();
    down = true;
    // 8 s URLs: the first refresh comes 2 s before they expire, then 2 s, 4 s, 8 s… apart.
    for (let s = 0; s < 20; s++) await tick(1000);
    const tries = calls.length - 1;
    expect(tries).toBeGreaterThanOrEqual(3);
    expect(tries).toBeLessThanOrEqual(4);
    down = false;
    for (let s = 0; s < 20; s++) await tick(1000);
    expect(result.current.items[0].media.valid_until).toBeGreaterThan(Date.now());
  });

  it('a thumbnail that fails with expired URLs asks for one refresh; failing again with fresh ones it shows a placeholder', async () => {
    let sig = 'a';
    const { calls } = mockFetch((c) => (isList(c) ? { body: { items: [rec(0, sig), rec(1, sig)], total: 2, next_cursor: '' } } : undefined));
    function List() {
      const list = useRecordingList('o1', PARAMS);
      const [selected, setSelected] = useState('');
      return (
        <EventList
          items={list.items}
          total={list.total}
          loaded={list.loaded}
          loading={list.loading}
          error={list.error}
          hasMore={list.hasMore}
          onMore={list.loadMore}
          onRetry={list.retry}
          onStale={list.mediaFailed}
          period={dayPeriod('2026-02-05')}
          timeZone="UTC"
          selectedId={selected}
          onSelect={(r) => setSelected(r.id)}
        />
      );
    }
    renderApp(<List />, { me: makeMe(), route: '/recordings', path: '/recordings' });
    await tick();
    const thumb = (i: number) => screen.getAllByTestId('event-card')[i].querySelector('img');
    expect(thumb(0)?.getAttribute('src')).toBe('/media/o1/e0/thumbnail?sig=a');
    fireEvent.click(screen.getAllByTestId('event-card')[1]);

    // A picture that fails with fresh URLs is broken: the placeholder, no request.
    fireEvent.error(thumb(0)!);
    await tick();
    expect(thumb(0)).toBeNull();
    expect(calls).toHaveLength(1);

    // Later (the tab slept: its timer has not run yet) the URLs have expired: two failures, one refresh.
    sig = 'b';
    vi.setSystemTime(Date.now() + 3_601_000);
    fireEvent.error(thumb(1)!);
    fireEvent.mouseEnter(screen.getAllByTestId('event-card')[1].firstElementChild!);
    await tick();
    expect(calls.filter(isList)).toHaveLength(2);
    expect(thumb(1)?.getAttribute('src')).toBe('/media/o1/e1/thumbnail?sig=b');
    // The other picture is tried again with its fresh URL, and the selection stays.
    expect(thumb(0)?.getAttribute('src')).toBe('/media/o1/e0/thumbnail?sig=b');
    expect(screen.getAllByTestId('event-card')[1]).toHaveAttribute('aria-current', 'true');

    // The fresh URL fails too: the placeholder, and no further request.
    fireEvent.error(thumb(1)!);
    await tick(10_000);
    expect(thumb(1)).toBeNull();
    expect(calls.filter(isList)).toHaveLength(2);
  });
});

describe('player', () => {
  it('swaps in fresh URLs where the clip was: same time, speed and pause', async () => {
    let show: (r: Recording) => void = () => {};
    function Harness() {
      const [r, setR] = useState(rec(0, 'a'));
      show = setR;
      return <PlayerWith rec={r} />;
    }
    const rerender = (el: { props: { rec: Recording } }) => act(() => show(el.props.rec));
    renderApp(<Harness />, { me: makeMe(), route: '/recordings', path: '/recordings' });
    const video = screen.getByTestId('player-video') as HTMLVideoElement;
    Object.defineProperty(video, 'readyState', { configurable: true, value: 4 });
    let paused = true;
    Object.defineProperty(video, 'paused', { configurable: true, get: () => paused });
    const play = vi.spyOn(video, 'play').mockImplementation(() => ((paused = false), Promise.resolve()));
    const pause = vi.spyOn(video, 'pause').mockImplementation(() => void (paused = true));
    fireEvent.loadedMetadata(video);
    video.currentTime = 12.5;
    expect(video.playbackRate).toBe(2);

    // Paused at 12.5 s, fresh URLs come.
    rerender(<PlayerWith rec={rec(0, 'b')} />);
    await tick();
    const same = screen.getByTestId('player-video') as HTMLVideoElement;
    expect(same).toBe(video);
    expect(same.getAttribute('src')).toBe('/media/o1/e0/video?sig=b');
    video.currentTime = 0; // what loading a new URL does
    fireEvent.loadedMetadata(video);
    expect(video.currentTime).toBe(12.5);
    expect(video.playbackRate).toBe(2);
    expect(pause).toHaveBeenCalled();
    expect(play).not.toHaveBeenCalled();

    // Playing at 20 s, fresh URLs again: it goes on playing from there.
    paused = false;
    video.currentTime = 20;
    rerender(<PlayerWith rec={rec(0, 'c')} />);
    await tick();
    video.currentTime = 0;
    fireEvent.loadedMetadata(video);
    expect(video.currentTime).toBe(20);
    expect(play).toHaveBeenCalledTimes(1);

    // Another event starts from its beginning.
    rerender(<PlayerWith rec={rec(1, 'c')} />);
    await tick();
    const other = screen.getByTestId('player-video') as HTMLVideoElement;
    fireEvent.loadedMetadata(other);
    expect(other.currentTime).toBe(0);
  });
});

describe('selection', () => {
  it('reads the watched event again before its URLs expire, and a download gets fresh ones when they are about to', async () => {
    let sig = 'a';
    const { calls } = mockFetch((c) => (c.url.startsWith('/api/v1/orgs/o1/recordings/e0') ? { body: rec(0, sig) } : undefined));
    const { result } = renderHook(() => useSelection('o1'));
    const picked = await api.getRecording('o1', 'e0');
    act(() => result.current.select(picked));
    await tick();
    const reads = () => calls.filter((c) => c.url.endsWith('/recordings/e0')).length;
    expect(reads()).toBe(2); // the first, and the selection's read of its detections
    expect(await result.current.freshMedia()).toBe(result.current.rec?.media);
    expect(reads()).toBe(2);

    sig = 'b';
    await tick(3_300_000 + 1000);
    expect(reads()).toBe(3);
    expect(result.current.rec?.media.video_url).toBe('/media/o1/e0/video?sig=b');

    // The tab slept past the end: Download reads fresh URLs first.
    sig = 'c';
    vi.setSystemTime(Date.now() + 3_600_000);
    let media;
    await act(async () => {
      media = await result.current.freshMedia();
    });
    expect(media).toMatchObject({ download_url: '/media/o1/e0/download?sig=c' });
    // A player error with fresh URLs reads once, not again and again.
    await tick();
    const before = reads();
    act(() => void result.current.mediaFailed());
    await tick(5000);
    act(() => void result.current.mediaFailed());
    await tick(5000);
    expect(reads()).toBe(before + 1);
  });
});

function PlayerWith({ rec: r }: { rec: Recording }) {
  return <Player rec={r} canDownload speed={2} onSpeed={() => {}} onStep={() => {}} hasPrev={false} hasNext={false} onMediaError={() => false} />;
}
