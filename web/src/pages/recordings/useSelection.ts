import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Recording, type RecordingMedia } from '../../api';
import { deadline, hasMedia, refreshAt, stale } from './expiry';
import type { ListParams } from './useRecordingList';
import { useRefresh } from './useRefresh';

/** How often a processing event is read again. */
const POLL_MS = 3000;
/** A download starts with URLs that have at least this long left, else fresh ones are read first. */
const DOWNLOAD_MARGIN_MS = 30_000;

/**
 * The event being watched: the copy it was picked from (its media URLs start
 * playing at once), completed by a read of the event (its detections), read
 * again while it is processing, before its signed media URLs expire (the
 * player swaps them keeping its place) and when they failed expired.
 */
export function useSelection(orgId: string, initial: Recording | null = null) {
  const [picked, setPicked] = useState<Recording | null>(initial);
  const [detail, setDetail] = useState<Recording | null>(null);
  const [loading, setLoading] = useState(false);
  const refreshed = useRef('');
  const id = picked?.id ?? '';

  const read = useCallback(
    (rid: string, replaceMedia: boolean) => {
      setLoading(true);
      api.getRecording(orgId, rid).then(
        (r) => {
          setDetail((d) => (d && d.id !== rid ? d : r));
          setLoading(false);
          // New media when it was produced meanwhile or when the old URLs expired.
          setPicked((p) => (p && p.id === rid && (replaceMedia || p.status !== r.status || stale(p.media)) ? r : p));
        },
        () => setLoading(false),
      );
    },
    [orgId],
  );

  useEffect(() => {
    setDetail(null);
    if (id) read(id, false);
  }, [id, read]);

  const status = detail?.status ?? picked?.status;
  useEffect(() => {
    if (!id || status !== 'processing') return;
    const timer = setTimeout(() => read(id, false), POLL_MS);
    return () => clearTimeout(timer);
  }, [id, status, read, detail]);

  // Fresh URLs before these expire; one read at a time, backing off on failure.
  const media = picked?.media;
  const at = picked && hasMedia(picked) && media ? refreshAt(media) : Infinity;
  const refresh = useCallback(async () => {
    if (!id) return;
    const r = await api.getRecording(orgId, id);
    setPicked((p) => (p && p.id === r.id ? r : p));
    setDetail((d) => (d && d.id !== r.id ? d : r));
  }, [orgId, id]);
  const refreshNow = useRefresh(at, refresh);

  /**
   * The media failed: reads the event again when its URLs have expired, or
   * once per event whatever the reason (returns whether fresh URLs are
   * coming); fresh URLs that fail again are a real error, not a loop.
   */
  const mediaFailed = useCallback((): boolean => {
    if (!picked) return false;
    if (!stale(picked.media) && refreshed.current === picked.id) return false;
    refreshed.current = picked.id;
    return refreshNow();
  }, [picked, refreshNow]);

  /** The event's media with time left for a download: these, else fresh ones read now. */
  const freshMedia = useCallback(async (): Promise<RecordingMedia | undefined> => {
    if (!picked) return undefined;
    if (deadline(picked.media) - Date.now() > DOWNLOAD_MARGIN_MS) return picked.media;
    const r = await api.getRecording(orgId, picked.id);
    setPicked((p) => (p && p.id === r.id ? r : p));
    return r.media;
  }, [orgId, picked]);

  const rec: Recording | null = picked
    ? { ...picked, detections: detail?.id === picked.id ? detail.detections : undefined, detection_types: detail?.id === picked.id ? detail.detection_types : picked.detection_types }
    : null;
  return { rec, select: setPicked, loading, mediaFailed, freshMedia };
}

/**
 * The event just older (step -1) or newer (step 1) than rec under the
 * filters, asked of the API (for an event that is not in the loaded list):
 * older is the newest before it; newer is the oldest after it (the last of
 * the newest-first list of what follows).
 */
export async function neighbour(orgId: string, params: ListParams, rec: Recording, step: 1 | -1): Promise<Recording | undefined> {
  if (step < 0) {
    const page = await api.listRecordings(orgId, { ...params, to: rec.start, limit: 1 });
    return page.items[0];
  }
  const after = { ...params, from: new Date(Date.parse(rec.start) + 1).toISOString() };
  const first = await api.listRecordings(orgId, { ...after, limit: 1 });
  if (first.total <= 1) return first.items[0];
  const last = await api.listRecordings(orgId, { ...after, limit: 1, offset: first.total - 1 });
  return last.items[0];
}
