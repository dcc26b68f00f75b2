import { CssBaseline, ThemeProvider, useMediaQuery } from '@mui/material';
import { useEffect, useMemo, type ReactNode } from 'react';
import { useSession } from '../session';
import { buildTheme } from '../theme';

/** Applies the user's theme, density and language to MUI; "system" follows prefers-color-scheme live. */
export function ThemeRoot({ children }: { children: ReactNode }) {
  const { prefs } = useSession();
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const mode = prefs.theme === 'system' ? (systemDark ? 'dark' : 'light') : prefs.theme;
  const theme = useMemo(() => buildTheme(mode, prefs.density, prefs.language), [mode, prefs.density, prefs.language]);

  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = mode;
    root.dataset.themePreference = prefs.theme;
    root.dataset.density = prefs.density;
    root.style.colorScheme = mode;
  }, [mode, prefs.theme, prefs.density]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      {children}
    </ThemeProvider>
  );
}
