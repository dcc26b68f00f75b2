import { AppBar, Box, Drawer, IconButton, Toolbar, Typography, useMediaQuery } from '@mui/material';
import { useTheme } from '@mui/material/styles';
import MenuIcon from '@mui/icons-material/Menu';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router-dom';
import { useLogout } from '../hooks/useLogout';
import { DRAWER_WIDTH } from '../theme';
import { AccountMenu } from './AccountMenu';
import { ErrorBoundary } from './ErrorBoundary';
import { ShellTitleContext } from './ShellContext';
import { SideMenu } from './SideMenu';

/** The signed-in layout: left drawer, app bar with page title and account menu, footer.
 * Renders the matched child route, or `children` when used outside the route tree (help pages). */
export function AppShell({ children }: { children?: ReactNode } = {}) {
  const { t } = useTranslation();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const [mobileOpen, setMobileOpen] = useState(false);
  const [title, setTitle] = useState('');
  const logout = useLogout();
  const location = useLocation();
  const year = new Date().getFullYear();

  const paperSx = {
    width: DRAWER_WIDTH,
    boxSizing: 'border-box' as const,
    borderRight: `1px solid ${theme.palette.divider}`,
    bgcolor: 'background.paper',
  };

  return (
    <ShellTitleContext.Provider value={setTitle}>
      <Box sx={{ display: 'flex', minHeight: '100vh', bgcolor: 'background.default' }}>
        {/* Only one drawer is mounted at a time so that each menu test id is unique. */}
        {desktop ? (
          <Drawer variant="permanent" sx={{ width: DRAWER_WIDTH, flexShrink: 0, '& .MuiDrawer-paper': paperSx }} data-testid="side-menu">
            <SideMenu onLogout={logout} />
          </Drawer>
        ) : (
          <Drawer
            variant="temporary"
            open={mobileOpen}
            onClose={() => setMobileOpen(false)}
            sx={{ '& .MuiDrawer-paper': paperSx }}
            data-testid="side-menu"
          >
            <SideMenu onNavigate={() => setMobileOpen(false)} onLogout={logout} />
          </Drawer>
        )}
        <Box sx={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          <AppBar
            position="sticky"
            sx={{
              bgcolor: 'background.paper',
              borderBottom: `1px solid ${theme.palette.divider}`,
              backdropFilter: 'blur(6px)',
            }}
          >
            <Toolbar sx={{ gap: 1.5 }}>
              {!desktop && (
                <IconButton edge="start" aria-label={t('common.openMenu')} onClick={() => setMobileOpen(true)} data-testid="open-menu">
                  <MenuIcon />
                </IconButton>
              )}
              <Typography variant="h6" component="h1" noWrap sx={{ flex: 1, fontWeight: 700 }} data-testid="page-title">
                {title}
              </Typography>
              <AccountMenu onLogout={logout} />
            </Toolbar>
          </AppBar>
          <Box component="main" sx={{ flex: 1, p: { xs: 2, sm: 3 }, width: '100%', maxWidth: 1400, mx: 'auto' }}>
            <ErrorBoundary key={location.pathname}>
              {children ?? <Outlet />}
            </ErrorBoundary>
          </Box>
          <Box component="footer" sx={{ px: 3, py: 2, color: 'text.secondary', textAlign: 'center' }}>
            <Typography variant="caption" data-testid="footer">
              {t('app.footer', { year })}
            </Typography>
          </Box>
        </Box>
      </Box>
    </ShellTitleContext.Provider>
  );
}
