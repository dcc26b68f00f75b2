import { Alert, Box, Button, LinearProgress, Paper, Typography } from '@mui/material';
import OndemandVideoOutlinedIcon from '@mui/icons-material/OndemandVideoOutlined';
import SearchOffOutlinedIcon from '@mui/icons-material/SearchOffOutlined';
import VideocamOffOutlinedIcon from '@mui/icons-material/VideocamOffOutlined';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { api, type Camera, type Recording, type Site } from '../api';
import { holo4Joined } from '../ai';
import { EmptyState } from '../components/EmptyState';
import { useNotify } from '../components/Notifier';
import { usePageTitle } from '../components/ShellContext';
import { errorMessage } from '../errors';
import { useCatalogue } from '../hooks/useCatalogue';
import { useQuery } from '../hooks/useQuery';
import { useMe, useSession } from '../session';
import { periodDays, zonedParts, type Day, type Period } from './recordings/dates';
import { DetectionFilter } from './recordings/DetectionFilter';
import { EventDetails } from './recordings/EventDetails';
import { EventList } from './recordings/EventList';
import { listQuery, readUrl, typesParam, writeUrl, type DetectionKind, type Filters } from './recordings/filters';
import { PeriodPicker } from './recordings/PeriodPicker';
import { Player } from './recordings/Player';
import { eventState, siteState } from './recordings/resolve';
import { CameraSelect, SiteSelect } from './recordings/SourceSelects';
import { Timeline } from './recordings/Timeline';
import { useRecordingList } from './recordings/useRecordingList';
import { neighbour, useSelection } from './recordings/useSelection';

/** "Enregistrement" (client guide §2): filters, the list of events and the player. */
export default function RecordingsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const orgId = useMe().org.id;
  usePageTitle(t('recordings.title'));
  const sites = useQuery(() => api.listSites(orgId, { limit: 500 }), [orgId]);

  if (sites.error) {
    return (
      <Alert
        severity="error"
        data-testid="recordings-error"
        action={
          <Button color="inherit" size="small" onClick={sites.reload}>
            {t('common.retry')}
          </Button>
        }
      >
        {errorMessage(sites.error, t)}
      </Alert>
    );
  }
  if (!sites.data) return <LinearProgress aria-label={t('common.loading')} />;
  if (!sites.data.items.length) {
    return (
      <Paper variant="outlined">
        <EmptyState
          testId="recordings-empty"
          icon={<VideocamOffOutlinedIcon />}
          title={t('recordings.emptyTitle')}
          text={t('recordings.emptyText')}
          action={
            can('sites.view') ? (
              <Button component={RouterLink} to="/sites" variant="contained" data-testid="recordings-go-sites">
                {t('recordings.goSites')}
              </Button>
            ) : undefined
          }
        />
      </Paper>
    );
  }
  return <Browser orgId={orgId} sites={sites.data.items} />;
}

/** How often events still processing in the list are read again. */
const PROCESSING_POLL_MS = 5000;

interface Loaded {
  cameras: Camera[];
  filters: Filters;
}

/** The page once the sites are known: works out the filters, then shows the events. */
function Browser({ orgId, sites }: { orgId: string; sites: Site[] }) {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const [state, setState] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [opened, setOpened] = useState<Recording | null>(null);
  const [attempt, setAttempt] = useState(0);
  const seq = useRef(0);

  const load = useCallback(
    (site: Site, want: Parameters<typeof siteState>[2]) => {
      const id = ++seq.current;
      siteState(orgId, site, want).then(
        (st) => id === seq.current && setState(st),
        (e: unknown) => id === seq.current && setError(e),
      );
    },
    [orgId],
  );

  // Once: the URL's filters (or the event it links to), else the guide's defaults.
  useEffect(() => {
    const want = readUrl(search);
    const id = ++seq.current;
    setError(null);
    const site = sites.find((s) => s.id === want.siteId) ?? sites[0];
    const defaults = () => load(site, want);
    if (want.event) {
      const opening = want.siteId && want.period ? api.getRecording(orgId, want.event).then((rec) => ({ rec, st: null })) : eventState(orgId, want.event, sites).then((st) => ({ rec: st.rec, st }));
      opening.then(
        ({ rec, st }) => {
          if (id !== seq.current) return;
          setOpened(rec);
          if (st) setState(st);
          else defaults();
        },
        () => {
          if (id !== seq.current) return;
          setMissing(true);
          defaults();
        },
      );
    } else {
      defaults();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  if (error) {
    return (
      <Alert
        severity="error"
        data-testid="recordings-error"
        action={
          <Button color="inherit" size="small" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </Button>
        }
      >
        {errorMessage(error, t)}
      </Alert>
    );
  }
  if (!state) return <LinearProgress aria-label={t('common.loading')} />;
  return (
    <Events
      orgId={orgId}
      sites={sites}
      state={state}
      opened={opened}
      missing={missing}
      onDismissMissing={() => setMissing(false)}
      onSite={(site) => {
        setState(null);
        load(site, { types: state.filters.types });
      }}
      onFilters={(f) => setState((s) => (s ? { ...s, filters: f } : s))}
      onUrl={(q) => setSearch(q, { replace: true })}
    />
  );
}

function Events({
  orgId,
  sites,
  state,
  opened,
  missing,
  onDismissMissing,
  onSite,
  onFilters,
  onUrl,
}: {
  orgId: string;
  sites: Site[];
  state: Loaded;
  opened: Recording | null;
  missing: boolean;
  onDismissMissing: () => void;
  onSite: (s: Site) => void;
  onFilters: (f: Filters) => void;
  onUrl: (q: URLSearchParams) => void;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const notify = useNotify();
  const { filters, cameras } = state;
  const site = sites.find((s) => s.id === filters.siteId);
  const tz = site?.timezone;
  const params = useMemo(() => listQuery(filters), [filters]);
  const list = useRecordingList(orgId, cameras.length ? params : null);
  const { rec, select, loading: detailLoading, mediaFailed, freshMedia } = useSelection(orgId, opened);
  const [speed, setSpeed] = useState(1);
  const [olderWanted, setOlderWanted] = useState('');
  const [timelineDay, setTimelineDay] = useState<Day | null>(null);
  // HOLO4 packages are listed once a camera of the site joined the beta (client guide §2.5).
  const joined = holo4Joined(cameras);
  const catalogue = useCatalogue(joined);

  useEffect(() => onUrl(writeUrl(filters, rec?.id)), [filters, rec?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (patch: Partial<Filters>) => onFilters({ ...filters, ...patch });
  const index = rec ? list.items.findIndex((r) => r.id === rec.id) : -1;
  const inList = index >= 0;
  const hasNext = !!rec && (!inList || index > 0);
  const hasPrev = !!rec && (!inList || index < list.items.length - 1 || list.hasMore);

  // An older event was asked for at the end of the loaded list: take it once the next page is in.
  useEffect(() => {
    if (!olderWanted || list.loading) return;
    const i = list.items.findIndex((r) => r.id === olderWanted);
    if (i >= 0 && i + 1 < list.items.length) select(list.items[i + 1]);
    setOlderWanted('');
  }, [olderWanted, list.items, list.loading, select]);

  const step = useCallback(
    (s: 1 | -1) => {
      if (!rec) return;
      if (inList) {
        if (s > 0 && index > 0) select(list.items[index - 1]);
        else if (s < 0 && index + 1 < list.items.length) select(list.items[index + 1]);
        else if (s < 0 && list.hasMore) {
          setOlderWanted(rec.id);
          list.loadMore();
        }
        return;
      }
      neighbour(orgId, params, rec, s).then(
        (r) => r && select(r),
        (e: unknown) => notify(errorMessage(e, t), 'error'),
      );
    },
    [rec, inList, index, list, select, orgId, params, notify, t],
  );

  // Processing events of the list change when the watched one is read again.
  useEffect(() => {
    if (rec && inList && list.items[index].status !== rec.status) list.replace(rec);
  }, [rec, inList, index, list]);

  // Events still processing in the list are read again every few seconds until they are ready or failed.
  const processing = list.items.filter((r) => r.status === 'processing').slice(0, 10).map((r) => r.id).join(',');
  const [poll, setPoll] = useState(0);
  useEffect(() => {
    if (!processing) return;
    let live = true;
    const timer = setTimeout(() => {
      const reads = processing.split(',').map((id) => api.getRecording(orgId, id).then((r) => live && r.status !== 'processing' && list.replace(r), () => undefined));
      void Promise.all(reads).then(() => live && setPoll((n) => n + 1));
    }, PROCESSING_POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [processing, poll, orgId, list.replace]); // eslint-disable-line react-hooks/exhaustive-deps

  const seek = (s: number) => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="player-video"]');
    if (v) v.currentTime = s;
  };

  const chosen = cameras.filter((c) => filters.cameraIds.includes(c.id)).map((c) => ({ id: c.id, name: c.name }));
  // The strip shows the day of the event being watched, else the day chosen with its arrows, else the period's last.
  const days = useMemo(() => periodDays(filters.period, 62), [filters.period]);
  const watchedDay = rec && rec.site_id === filters.siteId ? zonedParts(rec.start, tz).day : null;
  const focusDay = timelineDay && days.includes(timelineDay) ? timelineDay : (watchedDay ?? filters.period.end);
  useEffect(() => setTimelineDay(null), [rec?.id]);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      {missing && (
        <Alert severity="warning" onClose={onDismissMissing} data-testid="event-missing">
          {t('recordings.player.notFound')}
        </Alert>
      )}
      <Paper variant="outlined" sx={{ p: 1.5, display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center' }} data-testid="recordings-filters">
        <SiteSelect
          sites={sites}
          value={filters.siteId}
          onChange={(id) => {
            const s = sites.find((x) => x.id === id);
            if (s && id !== filters.siteId) {
              select(null);
              onSite(s);
            }
          }}
        />
        <CameraSelect cameras={cameras} value={filters.cameraIds} onChange={(ids) => set({ cameraIds: ids })} />
        <PeriodPicker orgId={orgId} siteId={filters.siteId} cameraIds={filters.cameraIds} timeZone={tz} period={filters.period} onApply={(p: Period) => set({ period: p })} />
        <DetectionFilter
          types={filters.types}
          onApply={(ty: DetectionKind[]) => set({ types: ty })}
          joined={joined}
          packages={joined ? (catalogue?.packages ?? []) : []}
        />
      </Paper>

      {!cameras.length ? (
        <Paper variant="outlined">
          <EmptyState
            testId="recordings-no-cameras"
            icon={<VideocamOffOutlinedIcon />}
            title={t('recordings.list.noCamerasTitle')}
            text={t('recordings.list.noCamerasText')}
            action={
              can('recorders.view') ? (
                <Button component={RouterLink} to="/recorders" variant="contained">
                  {t('recordings.list.goRecorders')}
                </Button>
              ) : undefined
            }
          />
        </Paper>
      ) : (
        <Box sx={{ display: 'grid', gap: 2, alignItems: 'start', gridTemplateColumns: { xs: '1fr', md: 'minmax(300px, 5fr) 7fr' } }}>
          <Paper variant="outlined" sx={{ p: 1.5, order: { xs: 2, md: 1 }, minWidth: 0 }}>
            {list.loaded && list.total === 0 && !list.error ? (
              <>
                <EventList {...listProps(list)} period={filters.period} timeZone={tz} selectedId={rec?.id ?? ''} onSelect={select} />
                <EmptyState testId="events-empty" icon={<SearchOffOutlinedIcon />} title={t('recordings.list.emptyTitle')} text={t('recordings.list.emptyText')} />
              </>
            ) : (
              <EventList {...listProps(list)} period={filters.period} timeZone={tz} selectedId={rec?.id ?? ''} onSelect={select} />
            )}
          </Paper>
          <Box sx={{ order: { xs: 1, md: 2 }, position: { md: 'sticky' }, top: { md: 80 }, display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
            {rec ? (
              <Player
                rec={rec}
                canDownload={can('recordings.download')}
                speed={speed}
                onSpeed={setSpeed}
                onStep={step}
                hasPrev={hasPrev}
                hasNext={hasNext}
                onMediaError={mediaFailed}
                freshMedia={freshMedia}
              >
                <EventDetails rec={rec} loading={detailLoading} timeZone={tz} onSeek={seek} />
              </Player>
            ) : (
              <Paper variant="outlined" sx={{ aspectRatio: { md: '16 / 9' }, display: 'grid', placeItems: 'center' }} data-testid="player-placeholder">
                <Box sx={{ textAlign: 'center', p: 3, color: 'text.secondary' }}>
                  <OndemandVideoOutlinedIcon sx={{ fontSize: 48, opacity: 0.5 }} />
                  <Typography sx={{ mt: 1 }}>{t('recordings.player.placeholder')}</Typography>
                </Box>
              </Paper>
            )}
            <Timeline days={days} onDay={setTimelineDay} orgId={orgId} siteId={filters.siteId} cameras={chosen} types={typesParam(filters.types)} day={focusDay} current={rec} onJump={select} />
          </Box>
        </Box>
      )}
    </Box>
  );
}

function listProps(list: ReturnType<typeof useRecordingList>) {
  return {
    items: list.items,
    total: list.total,
    loaded: list.loaded,
    loading: list.loading,
    error: list.error,
    hasMore: list.hasMore,
    onMore: list.loadMore,
    onRetry: list.retry,
    onStale: list.mediaFailed,
  };
}
