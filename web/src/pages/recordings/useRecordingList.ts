import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type Recording, type RecordingFilter } from '../../api';
import { nextRefresh, stale } from './expiry';
import { useRefresh } from './useRefresh';

export type ListParams = RecordingFilter & { from: string; to: string };

interface State {
  items: Recording[];
  total: number;
  cursor: string;
  loading: boolean;
  error: unknown;
  /** Whether the first page has answered (the total is known). */
  loaded: boolean;
}

const EMPTY: State = { items: [], total: 0, cursor: '', loading: false, error: undefined, loaded: false };

/** The largest page the API gives (media URLs are refreshed in pages of this size). */
const MAX_PAGE = 500;

/**
 * The recordings matching the filters, a page at a time: the first page when
 * the filters change, the next one (after next_cursor) on loadMore. Answers to
 * filters that changed since are dropped. Before their media URLs expire, the
 * loaded items get fresh ones (see refreshMedia).
 */
export function useRecordingList(orgId: string, params: ListParams | null, pageSize = 48) {
  const [state, setState] = useState<State>(EMPTY);
  const seq = useRef(0);
  const key = params ? JSON.stringify(params) : '';
  const [tick, setTick] = useState(0);

  const fetchPage = useCallback(
    (cursor: string, id: number) => {
      if (!params) return;
      setState((s) => ({ ...s, loading: true, error: undefined }));
      api.listRecordings(orgId, { ...params, limit: pageSize, cursor: cursor || undefined }).then(
        (page) => {
          if (id !== seq.current) return;
          setState((s) => ({
            items: cursor ? [...s.items, ...page.items.filter((r) => !s.items.some((x) => x.id === r.id))] : page.items,
            total: page.total,
            cursor: page.next_cursor,
            loading: false,
            error: undefined,
            loaded: true,
          }));
        },
        (e: unknown) => {
          if (id !== seq.current) return;
          setState((s) => ({ ...s, loading: false, error: e }));
        },
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [orgId, key, pageSize],
  );

  useEffect(() => {
    const id = ++seq.current;
    setState(EMPTY);
    fetchPage('', id);
  }, [fetchPage, tick]);

  // The latest state, for loadMore and retry (called from observers and buttons).
  const current = useRef(state);
  current.current = state;

  const loadMore = useCallback(() => {
    const s = current.current;
    if (s.loading || !s.cursor || s.error) return;
    current.current = { ...s, loading: true };
    fetchPage(s.cursor, seq.current);
  }, [fetchPage]);

  /** Asks again for the page that failed. */
  const retry = useCallback(() => {
    const s = current.current;
    if (s.loading) return;
    current.current = { ...s, loading: true };
    fetchPage(s.loaded ? s.cursor : '', seq.current);
  }, [fetchPage]);

  const reload = useCallback(() => setTick((n) => n + 1), []);

  /** Puts a fresher copy of a recording (its status changed) in place. */
  const replace = useCallback((r: Recording) => {
    setState((s) => (s.items.some((x) => x.id === r.id) ? { ...s, items: s.items.map((x) => (x.id === r.id ? { ...x, ...r, detections: undefined } : x)) } : s));
  }, []);

  // Items a refresh no longer found (deleted, or filtered out since): their URLs are left to expire.
  const [gone, setGone] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => setGone(new Set()), [key, tick]);
  const at = useMemo(() => nextRefresh(state.items, gone), [state.items, gone]);

  const refreshMedia = useCallback(async () => {
    const id = seq.current;
    const items = current.current.items;
    if (!params || !items.length) return;
    const fresh = await freshMedia(orgId, params, new Set(items.map((r) => r.id)));
    if (id !== seq.current) return;
    setState((s) => ({ ...s, items: s.items.map((x) => (fresh.has(x.id) ? { ...x, media: fresh.get(x.id)!.media } : x)) }));
    const missing = items.filter((r) => !fresh.has(r.id)).map((r) => r.id);
    if (missing.length) setGone((g) => new Set([...g, ...missing]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orgId, key]);
  const refreshNow = useRefresh(at, refreshMedia);

  /**
   * The media of an item failed to load: reads fresh URLs when its own have
   * expired (returns whether fresh ones are coming). One whose URLs are fresh
   * is really broken: no refresh, so a missing picture can't loop.
   */
  const mediaFailed = useCallback(
    (rid: string): boolean => {
      const r = current.current.items.find((x) => x.id === rid);
      if (!r || gone.has(rid) || !stale(r.media)) return false;
      return refreshNow();
    },
    [gone, refreshNow],
  );

  return { ...state, hasMore: !!state.cursor, loadMore, retry, reload, replace, mediaFailed };
}

/**
 * Fresh copies of the listed recordings `want`: the list under the same filters
 * read again from its start in large pages (new events may have come in on top)
 * until every one is found or the list ends — one request per 500 events, not
 * one per event.
 */
async function freshMedia(orgId: string, params: ListParams, want: Set<string>): Promise<Map<string, Recording>> {
  const found = new Map<string, Recording>();
  const limit = Math.min(MAX_PAGE, want.size + 50);
  let cursor = '';
  // New events on top push the loaded ones down: a page or two more than they fill.
  for (let pages = Math.ceil(want.size / limit) + 2; pages > 0; pages--) {
    const page = await api.listRecordings(orgId, { ...params, limit, cursor: cursor || undefined });
    for (const r of page.items) if (want.has(r.id)) found.set(r.id, r);
    cursor = page.next_cursor;
    if (found.size === want.size || !cursor) break;
  }
  return found;
}
