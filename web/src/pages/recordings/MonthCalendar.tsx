import { Box, ButtonBase, IconButton, LinearProgress, Typography } from '@mui/material';
import { alpha } from '@mui/material/styles';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import { useTranslation } from 'react-i18next';
import { addMonths, dayRole, monthGrid, monthTitle, weekdayNames, type Day, type Draft, type Month } from './dates';

const SIZE = 36;

/**
 * A month of days to pick a period (client guide §2.3): days with
 * recordings are circled in red, the selection is coloured.
 */
export function MonthCalendar({
  month,
  onMonth,
  draft,
  onPick,
  available,
  loading = false,
  today,
}: {
  month: Month;
  onMonth: (m: Month) => void;
  draft: Draft;
  onPick: (d: Day) => void;
  available: ReadonlySet<Day>;
  loading?: boolean;
  today?: Day;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const weekStart = 1; // Monday, in French and in the app's British English
  const fullDate = new Intl.DateTimeFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB', { dateStyle: 'full', timeZone: 'UTC' });

  return (
    <Box sx={{ width: SIZE * 7 + 16, userSelect: 'none' }} data-testid="period-calendar" data-month={month}>
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', mb: 0.5 }}>
        <IconButton size="small" onClick={() => onMonth(addMonths(month, -1))} aria-label={t('recordings.period.prevMonth')} data-testid="cal-prev">
          <ChevronLeftIcon />
        </IconButton>
        <Typography variant="subtitle2" sx={{ textTransform: 'capitalize' }} data-testid="cal-title">
          {monthTitle(month, lang)}
        </Typography>
        <IconButton size="small" onClick={() => onMonth(addMonths(month, 1))} aria-label={t('recordings.period.nextMonth')} data-testid="cal-next">
          <ChevronRightIcon />
        </IconButton>
      </Box>
      <Box sx={{ height: 2, mb: 0.5 }}>{loading && <LinearProgress sx={{ height: 2 }} />}</Box>
      <Box role="grid" aria-label={monthTitle(month, lang)} sx={{ display: 'grid', gridTemplateColumns: `repeat(7, ${SIZE}px)`, justifyContent: 'center', rowGap: 0.25 }}>
        {weekdayNames(lang, weekStart).map((w) => (
          <Typography key={w} variant="caption" color="text.secondary" sx={{ textAlign: 'center', fontWeight: 600, lineHeight: '24px' }}>
            {w.replace('.', '')}
          </Typography>
        ))}
        {monthGrid(month, weekStart)
          .flat()
          .map(({ day, inMonth }) => {
            const role = inMonth ? dayRole(draft, day) : 'none';
            const has = inMonth && available.has(day);
            const selected = role !== 'none';
            const edge = role === 'start' || role === 'end' || role === 'single';
            return (
              <Box
                key={day}
                sx={(theme) => ({
                  height: SIZE,
                  display: 'grid',
                  placeItems: 'center',
                  // The band that joins the start and the end of a period.
                  background:
                    role === 'inside'
                      ? alpha(theme.palette.primary.main, 0.16)
                      : role === 'start'
                        ? `linear-gradient(90deg, transparent 50%, ${alpha(theme.palette.primary.main, 0.16)} 50%)`
                        : role === 'end'
                          ? `linear-gradient(90deg, ${alpha(theme.palette.primary.main, 0.16)} 50%, transparent 50%)`
                          : 'transparent',
                })}
              >
                <ButtonBase
                  disabled={!inMonth}
                  onClick={() => onPick(day)}
                  data-testid="cal-day"
                  data-day={day}
                  data-available={has ? 'true' : 'false'}
                  data-role={role}
                  aria-pressed={selected}
                  aria-label={fullDate.format(new Date(`${day}T00:00:00Z`))}
                  sx={(theme) => ({
                    width: SIZE - 4,
                    height: SIZE - 4,
                    borderRadius: '50%',
                    fontSize: 13,
                    fontWeight: has || edge ? 700 : 400,
                    visibility: inMonth ? 'visible' : 'hidden',
                    color: edge ? theme.palette.primary.contrastText : 'text.primary',
                    bgcolor: edge ? 'primary.main' : 'transparent',
                    border: '2px solid',
                    borderColor: has ? theme.palette.error.main : day === today ? theme.palette.divider : 'transparent',
                    '&:hover': { bgcolor: edge ? 'primary.dark' : alpha(theme.palette.primary.main, 0.1) },
                    '&.Mui-focusVisible': { outline: `2px solid ${theme.palette.primary.main}`, outlineOffset: 1 },
                  })}
                >
                  {Number(day.slice(8))}
                </ButtonBase>
              </Box>
            );
          })}
      </Box>
      <Box sx={{ display: 'flex', gap: 2, mt: 1, px: 0.5, flexWrap: 'wrap' }}>
        <Legend swatch={(theme) => ({ border: `2px solid ${theme.palette.error.main}` })} text={t('recordings.period.available')} />
        <Legend swatch={{ bgcolor: 'primary.main' }} text={t('recordings.period.selected')} />
      </Box>
    </Box>
  );
}

function Legend({ swatch, text }: { swatch: object | ((theme: import('@mui/material').Theme) => object); text: string }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
      <Box sx={[{ width: 12, height: 12, borderRadius: '50%', flexShrink: 0 }, swatch as never]} />
      <Typography variant="caption" color="text.secondary">
        {text}
      </Typography>
    </Box>
  );
}
