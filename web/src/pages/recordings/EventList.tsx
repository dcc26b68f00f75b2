import { Alert, Box, Button, LinearProgress, Typography } from '@mui/material';
import { Fragment, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recording } from '../../api';
import { errorMessage } from '../../errors';
import { formatNumber } from '../../format';
import { longDay, zonedParts, type Period } from './dates';
import { EventCard } from './EventCard';

/** Calls onVisible whenever the element comes within 600 px of the scrolling view. */
function Sentinel({ onVisible, active }: { onVisible: () => void; active: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const cb = useRef(onVisible);
  cb.current = onVisible;
  useEffect(() => {
    const el = ref.current;
    if (!el || !active || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && cb.current(), { rootMargin: '600px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [active]);
  return <Box ref={ref} sx={{ height: 1 }} data-testid="events-sentinel" />;
}

/** The events matching the filters, newest first, under their day; more load on scroll. */
export function EventList({
  items,
  total,
  loaded,
  loading,
  error,
  hasMore,
  onMore,
  onRetry,
  period,
  timeZone,
  selectedId,
  onSelect,
  onStale,
}: {
  items: Recording[];
  total: number;
  loaded: boolean;
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  onMore: () => void;
  onRetry: () => void;
  period: Period;
  timeZone: string | undefined;
  selectedId: string;
  onSelect: (r: Recording) => void;
  /** An event's media failed or expired: returns whether fresh URLs are coming. */
  onStale?: (id: string) => boolean;
}) {
  const { t, i18n } = useTranslation();
  const heading = period.start === period.end ? longDay(period.start) : `${longDay(period.start)} – ${longDay(period.end)}`;
  const multiDay = period.start !== period.end;
  let lastDay = '';

  return (
    <Box data-testid="events">
      <Box sx={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: 1, px: 0.5, mb: 1 }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 700 }} data-testid="events-heading">
          {heading}
        </Typography>
        {loaded && (
          <Typography variant="body2" color="text.secondary" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }} data-testid="events-total" data-total={total}>
            {t('recordings.list.count', { count: total, n: formatNumber(total, i18n.language) })}
          </Typography>
        )}
      </Box>
      {!loaded && loading && <LinearProgress aria-label={t('common.loading')} />}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(176px, 1fr))', gap: 1 }}>
        {items.map((r) => {
          const day = zonedParts(r.start, timeZone).day;
          const head = multiDay && day !== lastDay;
          lastDay = day;
          return (
            <Fragment key={r.id}>
              {head && (
                <Typography variant="overline" color="text.secondary" sx={{ gridColumn: '1 / -1', mt: 0.5, lineHeight: 2 }} data-testid="events-day">
                  {longDay(day)}
                </Typography>
              )}
              <EventCard rec={r} timeZone={timeZone} selected={r.id === selectedId} onSelect={onSelect} onStale={onStale} />
            </Fragment>
          );
        })}
      </Box>
      {!!error && (
        <Alert
          severity="error"
          sx={{ mt: 1 }}
          data-testid="events-error"
          action={
            <Button color="inherit" size="small" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          }
        >
          {errorMessage(error, t)}
        </Alert>
      )}
      {loaded && hasMore && !error && (
        <>
          <Sentinel onVisible={onMore} active={!loading} />
          <Box sx={{ display: 'flex', justifyContent: 'center', py: 1.5 }}>
            {loading ? (
              <LinearProgress sx={{ width: '50%' }} aria-label={t('common.loading')} />
            ) : (
              <Button onClick={onMore} data-testid="events-more">
                {t('recordings.list.more')}
              </Button>
            )}
          </Box>
        </>
      )}
      {loaded && !hasMore && items.length > 0 && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ textAlign: 'center', py: 1.5 }} data-testid="events-end">
          {t('recordings.list.end')}
        </Typography>
      )}
    </Box>
  );
}
