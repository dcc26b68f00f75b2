import { Box, Chip, Paper, Stack, TextField, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import LightModeOutlinedIcon from '@mui/icons-material/LightModeOutlined';
import DarkModeOutlinedIcon from '@mui/icons-material/DarkModeOutlined';
import SettingsBrightnessOutlinedIcon from '@mui/icons-material/SettingsBrightnessOutlined';
import ViewAgendaOutlinedIcon from '@mui/icons-material/ViewAgendaOutlined';
import ViewHeadlineOutlinedIcon from '@mui/icons-material/ViewHeadlineOutlined';
import CheckIcon from '@mui/icons-material/Check';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Density, Language, RowsPerPage, ThemeMode } from '../api';
import { ApiTokensCard } from '../components/ApiTokensCard';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageHeader } from '../components/PageHeader';
import { usePageTitle } from '../components/ShellContext';
import { ROWS_PER_PAGE_OPTIONS } from '../components/TablePager';
import { useSession } from '../session';

function Setting({ label, help, children }: { label: string; help?: string; children: ReactNode }) {
  return (
    <Box
      sx={{
        display: 'flex',
        flexDirection: { xs: 'column', sm: 'row' },
        alignItems: { xs: 'flex-start', sm: 'center' },
        justifyContent: 'space-between',
        gap: 1.5,
        py: 2,
        '&:not(:last-of-type)': { borderBottom: 1, borderColor: 'divider' },
      }}
    >
      <Box sx={{ maxWidth: 420 }}>
        <Typography sx={{ fontWeight: 600 }}>{label}</Typography>
        {help && (
          <Typography variant="body2" color="text.secondary">
            {help}
          </Typography>
        )}
      </Box>
      {children}
    </Box>
  );
}

const THEMES: { value: ThemeMode; icon: ReactNode }[] = [
  { value: 'light', icon: <LightModeOutlinedIcon fontSize="small" /> },
  { value: 'dark', icon: <DarkModeOutlinedIcon fontSize="small" /> },
  { value: 'system', icon: <SettingsBrightnessOutlinedIcon fontSize="small" /> },
];

const DENSITIES: { value: Density; icon: ReactNode }[] = [
  { value: 'comfortable', icon: <ViewAgendaOutlinedIcon fontSize="small" /> },
  { value: 'compact', icon: <ViewHeadlineOutlinedIcon fontSize="small" /> },
];

/** Préférences: theme, language, density and rows per page, applied live and saved. */
export default function PreferencesPage() {
  const { t } = useTranslation();
  const { prefs, updatePreferences, saveState, can } = useSession();
  usePageTitle(t('preferences.title'));

  return (
    <Stack spacing={3}>
      <PageHeader
        subtitle={t('preferences.subtitle')}
        actions={
          saveState === 'saving' ? (
            <Chip label={t('preferences.saving')} size="small" variant="outlined" data-testid="pref-saving" />
          ) : saveState === 'saved' ? (
            <Chip icon={<CheckIcon />} label={t('preferences.saved')} size="small" color="success" variant="outlined" data-testid="pref-saved" />
          ) : undefined
        }
      />
      <Paper variant="outlined" sx={{ px: 3, py: 1 }}>
        <Typography variant="overline" color="text.secondary" component="h2" sx={{ display: 'block', pt: 1.5 }}>
          {t('preferences.appearance')}
        </Typography>
        <Setting label={t('preferences.theme')} help={t('preferences.themeHelp')}>
          <ToggleButtonGroup
            exclusive
            value={prefs.theme}
            onChange={(_, v: ThemeMode | null) => v && updatePreferences({ theme: v })}
            aria-label={t('preferences.theme')}
          >
            {THEMES.map((o) => (
              <ToggleButton key={o.value} value={o.value} data-testid={`pref-theme-${o.value}`}>
                {o.icon}
                {t(`preferences.themes.${o.value}`)}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        </Setting>
        <Setting label={t('preferences.language')}>
          <LanguageSwitch
            value={prefs.language}
            onChange={(l: Language) => updatePreferences({ language: l })}
            testIdPrefix="pref-lang"
            long
          />
        </Setting>
      </Paper>
      <Paper variant="outlined" sx={{ px: 3, py: 1 }}>
        <Typography variant="overline" color="text.secondary" component="h2" sx={{ display: 'block', pt: 1.5 }}>
          {t('preferences.display')}
        </Typography>
        <Setting label={t('preferences.density')}>
          <ToggleButtonGroup
            exclusive
            value={prefs.density}
            onChange={(_, v: Density | null) => v && updatePreferences({ density: v })}
            aria-label={t('preferences.density')}
          >
            {DENSITIES.map((o) => (
              <ToggleButton key={o.value} value={o.value} data-testid={`pref-density-${o.value}`}>
                {o.icon}
                {t(`preferences.densities.${o.value}`)}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        </Setting>
        <Setting label={t('preferences.rows')}>
          <TextField
            select
            value={prefs.rows_per_page}
            onChange={(e) => updatePreferences({ rows_per_page: Number(e.target.value) as RowsPerPage })}
            size="small"
            sx={{ width: 120 }}
            slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'pref-rows', 'aria-label': t('preferences.rows') } }}
          >
            {ROWS_PER_PAGE_OPTIONS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </TextField>
        </Setting>
      </Paper>
      {can('tokens.manage') && <ApiTokensCard />}
    </Stack>
  );
}
