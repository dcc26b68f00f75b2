import { alpha, createTheme, type Theme } from '@mui/material/styles';
import { enUS, frFR } from '@mui/material/locale';
import type { Density, Language } from './api';

export const BRAND = {
  main: '#6c4cf1',
  light: '#8f76f5',
  dark: '#5e35b1',
  contrastText: '#ffffff',
};

export const DRAWER_WIDTH = 264;

/** Builds the MUI theme from the user's preferences (mode already resolved from "system"). */
export function buildTheme(mode: 'light' | 'dark', density: Density, language: Language): Theme {
  const compact = density === 'compact';
  const dark = mode === 'dark';
  const small = compact ? ('small' as const) : undefined;

  return createTheme(
    {
      palette: {
        mode,
        primary: BRAND,
        secondary: { main: '#00a3c4' },
        success: { main: dark ? '#3ecf8e' : '#1f9d63' },
        background: dark
          ? { default: '#0f1116', paper: '#171a22' }
          : { default: '#f5f6fb', paper: '#ffffff' },
        divider: dark ? 'rgba(255,255,255,0.08)' : 'rgba(17,24,39,0.08)',
        text: dark
          ? { primary: '#eceef3', secondary: '#9aa1b2' }
          : { primary: '#1b1f2a', secondary: '#5d6475' },
      },
      spacing: compact ? 6 : 8,
      shape: { borderRadius: 10 },
      typography: {
        fontFamily: '"Inter", "Segoe UI", Roboto, "Helvetica Neue", Arial, system-ui, sans-serif',
        fontSize: compact ? 13 : 14,
        h4: { fontWeight: 700, letterSpacing: -0.4 },
        h5: { fontWeight: 700, letterSpacing: -0.2 },
        h6: { fontWeight: 600 },
        subtitle2: { fontWeight: 600 },
        button: { fontWeight: 600, letterSpacing: 0.3 },
        overline: { fontWeight: 700, letterSpacing: 1 },
      },
      components: {
        MuiCssBaseline: {
          styleOverrides: {
            body: { WebkitFontSmoothing: 'antialiased' },
          },
        },
        MuiButton: {
          defaultProps: { disableElevation: true, size: small },
          styleOverrides: { root: { borderRadius: 8 } },
        },
        MuiIconButton: { defaultProps: { size: small } },
        MuiTextField: { defaultProps: { size: small ?? 'medium', fullWidth: true } },
        MuiFormControl: { defaultProps: { size: small } },
        MuiSelect: { defaultProps: { size: small } },
        MuiAutocomplete: { defaultProps: { size: small } },
        MuiToggleButtonGroup: { defaultProps: { size: small } },
        MuiToggleButton: {
          styleOverrides: { root: { textTransform: 'none', fontWeight: 600, gap: 6 } },
        },
        MuiCheckbox: { defaultProps: { size: small } },
        MuiRadio: { defaultProps: { size: small } },
        MuiTable: { defaultProps: { size: compact ? 'small' : 'medium' } },
        MuiTableCell: {
          styleOverrides: {
            head: ({ theme }) => ({
              fontSize: '0.72rem',
              fontWeight: 700,
              letterSpacing: 0.6,
              color: theme.palette.text.secondary,
              backgroundColor: dark ? alpha('#ffffff', 0.02) : '#f9fafc',
              whiteSpace: 'nowrap',
            }),
          },
        },
        MuiTableRow: {
          styleOverrides: {
            root: ({ theme }) => ({
              '&.MuiTableRow-hover:hover': { backgroundColor: alpha(theme.palette.primary.main, 0.04) },
            }),
          },
        },
        MuiListItemButton: {
          defaultProps: { dense: compact },
          styleOverrides: { root: { borderRadius: 8 } },
        },
        MuiPaper: {
          defaultProps: { elevation: 0 },
          styleOverrides: {
            outlined: ({ theme }) => ({ borderColor: theme.palette.divider }),
          },
        },
        MuiCard: {
          defaultProps: { variant: 'outlined' },
        },
        MuiAppBar: {
          defaultProps: { elevation: 0, color: 'inherit' },
        },
        MuiToolbar: {
          defaultProps: { variant: compact ? 'dense' : 'regular' },
        },
        MuiDialog: {
          styleOverrides: { paper: { borderRadius: 14 } },
        },
        MuiDialogTitle: {
          styleOverrides: { root: { fontWeight: 700 } },
        },
        MuiTooltip: { defaultProps: { arrow: true } },
        MuiChip: { styleOverrides: { root: { fontWeight: 600 } } },
        MuiTab: { styleOverrides: { root: { textTransform: 'none', fontWeight: 600, minHeight: 44 } } },
      },
    },
    language === 'fr' ? frFR : enUS,
  );
}
