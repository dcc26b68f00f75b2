import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Recording, type RecordingFilter } from '../../api';

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

/**
 * The recordings matching the filters, a page at a time: the first page when
 * the filters change, the next one (after next_cursor) on loadMore. Answers to
 * filters that changed since are dropped.
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

  return { ...state, hasMore: !!state.cursor, loadMore, retry, reload, replace };
}
