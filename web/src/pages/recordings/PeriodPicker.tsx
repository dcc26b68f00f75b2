import { Alert, Box, Button, Popover, TextField, Typography } from '@mui/material';
import CalendarMonthOutlinedIcon from '@mui/icons-material/CalendarMonthOutlined';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useQuery } from '../../hooks/useQuery';
import { applyDraft, monthOf, normaliseTime, pickDay, shortDay, todayIn, type Draft, type Month, type Period } from './dates';
import { MonthCalendar } from './MonthCalendar';

/**
 * The period filter (client guide §2.3): a button that reads "From: 00:00
 * 05/02 To: 23:59 05/02" and opens the month calendar with the start and end
 * times and "Apply".
 */
export function PeriodPicker({
  orgId,
  siteId,
  cameraIds,
  timeZone,
  period,
  onApply,
}: {
  orgId: string;
  siteId: string;
  cameraIds: string[];
  timeZone: string | undefined;
  period: Period;
  onApply: (p: Period) => void;
}) {
  const { t } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [draft, setDraft] = useState<Draft>({ start: period.start, end: period.end });
  const [month, setMonth] = useState<Month>(monthOf(period.end));
  const [startTime, setStartTime] = useState(period.startTime);
  const [endTime, setEndTime] = useState(period.endTime);
  const open = !!anchor;
  const year = new Date().getFullYear();

  const cams = cameraIds.join(',');
  const calendar = useQuery(
    () => api.recordingCalendar(orgId, { site_id: siteId || undefined, camera_ids: cameraIds, month }),
    [orgId, siteId, cams, month],
    open,
  );
  const available = useMemo(() => new Set(calendar.data?.month === month ? calendar.data.days : []), [calendar.data, month]);
  const st = normaliseTime(startTime);
  const et = normaliseTime(endTime);
  const applied = st && et ? applyDraft(draft, st, et) : null;
  const badOrder = !!draft.start && !!st && !!et && !applied;

  const openPicker = (el: HTMLElement) => {
    setDraft({ start: period.start, end: period.end });
    setMonth(monthOf(period.end));
    setStartTime(period.startTime);
    setEndTime(period.endTime);
    setAnchor(el);
  };

  return (
    <>
      <Button
        variant="outlined"
        color="inherit"
        onClick={(e) => openPicker(e.currentTarget)}
        startIcon={<CalendarMonthOutlinedIcon />}
        data-testid="period-button"
        aria-haspopup="dialog"
        aria-label={`${t('recordings.filter.period')} : ${t('recordings.filter.from')} ${period.startTime} ${shortDay(period.start, year)} ${t('recordings.filter.to')} ${period.endTime} ${shortDay(period.end, year)}`}
        sx={{ textTransform: 'none', fontWeight: 500, borderColor: 'divider', justifyContent: 'flex-start', whiteSpace: 'nowrap', minHeight: 40 }}
      >
        <Box component="span" sx={{ color: 'text.secondary', mr: 0.5 }}>
          {t('recordings.filter.from')}
        </Box>
        <Box component="span" sx={{ fontWeight: 600, mr: 1.5 }} data-testid="period-from">
          {period.startTime} {shortDay(period.start, year)}
        </Box>
        <Box component="span" sx={{ color: 'text.secondary', mr: 0.5 }}>
          {t('recordings.filter.to')}
        </Box>
        <Box component="span" sx={{ fontWeight: 600 }} data-testid="period-to">
          {period.endTime} {shortDay(period.end, year)}
        </Box>
      </Button>
      <Popover
        open={open}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
        slotProps={{ paper: { sx: { p: 2, mt: 0.5 }, role: 'dialog', 'aria-label': t('recordings.filter.period'), 'data-testid': 'period-popover' } as object }}
      >
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5, maxWidth: 300 }}>
          <MonthCalendar
            month={month}
            onMonth={setMonth}
            draft={draft}
            onPick={(d) => setDraft((cur) => pickDay(cur, d))}
            available={available}
            loading={calendar.loading}
            today={todayIn(timeZone)}
          />
          {!!calendar.error && (
            <Alert severity="warning" sx={{ py: 0 }}>
              {t('recordings.period.calendarError')}
            </Alert>
          )}
          <Typography variant="caption" color="text.secondary">
            {t('recordings.period.hint')}
          </Typography>
          <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1.5 }}>
            <TimeField label={t('recordings.period.startTime')} value={startTime} onChange={setStartTime} testId="period-start-time" />
            <TimeField label={t('recordings.period.endTime')} value={endTime} onChange={setEndTime} testId="period-end-time" error={badOrder} />
          </Box>
          {badOrder && (
            <Typography variant="caption" color="error">
              {t('recordings.period.badOrder')}
            </Typography>
          )}
          <Button
            variant="contained"
            disabled={!applied}
            data-testid="period-apply"
            onClick={() => {
              if (!applied) return;
              setAnchor(null);
              onApply(applied);
            }}
          >
            {t('recordings.filter.apply')}
          </Button>
        </Box>
      </Popover>
    </>
  );
}

/** A 24-hour "HH:MM" field (the browser's own time field follows its language, with AM/PM in English). */
function TimeField({ label, value, onChange, testId, error = false }: { label: string; value: string; onChange: (v: string) => void; testId: string; error?: boolean }) {
  const { t } = useTranslation();
  const valid = normaliseTime(value) !== null;
  return (
    <TextField
      label={label}
      size="small"
      value={value}
      placeholder="HH:MM"
      onChange={(e) => onChange(e.target.value)}
      onBlur={() => {
        const n = normaliseTime(value);
        if (n) onChange(n);
      }}
      error={error || !valid}
      helperText={valid ? undefined : t('recordings.period.badTime')}
      slotProps={{ inputLabel: { shrink: true }, htmlInput: { inputMode: 'numeric', maxLength: 5, 'data-testid': testId, style: { fontVariantNumeric: 'tabular-nums' } } }}
    />
  );
}
