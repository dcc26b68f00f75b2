import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Recording } from '../../api';
import type { ListParams } from './useRecordingList';

/** How often a processing event is read again. */
const POLL_MS = 3000;

/**
 * The event being watched: the copy it was picked from (its media URLs start
 * playing at once), completed by a read of the event (its detections), read
 * again while it is processing and when its signed media URLs have expired.
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
          setPicked((p) => (p && p.id === rid && (replaceMedia || p.status !== r.status) ? r : p));
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

  /** The media failed: read the event again once when its URLs have expired (returns whether it did). */
  const mediaFailed = useCallback((): boolean => {
    if (!picked || refreshed.current === picked.id) return false;
    if (Date.parse(picked.media.expires_at) > Date.now() + 5000) return false;
    refreshed.current = picked.id;
    read(picked.id, true);
    return true;
  }, [picked, read]);

  const rec: Recording | null = picked
    ? { ...picked, detections: detail?.id === picked.id ? detail.detections : undefined, detection_types: detail?.id === picked.id ? detail.detection_types : picked.detection_types }
    : null;
  return { rec, select: setPicked, loading, mediaFailed };
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
