import { Box, Divider, List, ListItemButton, ListItemIcon, ListItemText, ListSubheader } from '@mui/material';
import VideoLibraryOutlinedIcon from '@mui/icons-material/VideoLibraryOutlined';
import DnsOutlinedIcon from '@mui/icons-material/DnsOutlined';
import VideocamOutlinedIcon from '@mui/icons-material/VideocamOutlined';
import BusinessOutlinedIcon from '@mui/icons-material/BusinessOutlined';
import PlaceOutlinedIcon from '@mui/icons-material/PlaceOutlined';
import GroupOutlinedIcon from '@mui/icons-material/GroupOutlined';
import TuneOutlinedIcon from '@mui/icons-material/TuneOutlined';
import LockResetOutlinedIcon from '@mui/icons-material/LockResetOutlined';
import LogoutOutlinedIcon from '@mui/icons-material/LogoutOutlined';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router-dom';
import { menuFor, type MenuIcon } from '../menu';
import { useMe } from '../session';
import { BrandLogo } from './BrandLogo';

const ICONS: Record<MenuIcon, ReactElement> = {
  recordings: <VideoLibraryOutlinedIcon />,
  recorders: <DnsOutlinedIcon />,
  cameras: <VideocamOutlinedIcon />,
  customers: <BusinessOutlinedIcon />,
  sites: <PlaceOutlinedIcon />,
  users: <GroupOutlinedIcon />,
  preferences: <TuneOutlinedIcon />,
  password: <LockResetOutlinedIcon />,
  logout: <LogoutOutlinedIcon />,
};

/** The drawer content: brand, organisation kind and the menu for that kind. */
export function SideMenu({ onNavigate, onLogout }: { onNavigate?: () => void; onLogout: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const sections = menuFor(me.org.kind, me.permissions);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Box sx={{ px: 2.5, py: 2.25 }}>
        <BrandLogo subtitle={t(`org.kind.${me.org.kind}`)} />
      </Box>
      <Divider />
      <Box component="nav" aria-label={t('app.name')} sx={{ flex: 1, overflowY: 'auto', px: 1.5, py: 1 }}>
        {sections.map((section) => (
          <List
            key={section.id}
            dense
            subheader={
              section.titleKey ? (
                <ListSubheader
                  disableSticky
                  sx={{
                    bgcolor: 'transparent',
                    lineHeight: 2.6,
                    fontSize: '0.7rem',
                    fontWeight: 700,
                    letterSpacing: 1,
                    textTransform: 'uppercase',
                    color: 'text.secondary',
                  }}
                >
                  {t(section.titleKey)}
                </ListSubheader>
              ) : undefined
            }
          >
            {section.items.map((item) => {
              const selected = !!item.path && location.pathname.startsWith(item.path);
              const content = (
                <>
                  <ListItemIcon sx={{ minWidth: 36, color: selected ? 'primary.main' : 'text.secondary' }}>
                    {ICONS[item.icon]}
                  </ListItemIcon>
                  <ListItemText
                    primary={t(item.labelKey)}
                    slotProps={{ primary: { fontWeight: selected ? 700 : 500, fontSize: '0.9rem' } }}
                  />
                </>
              );
              const sx = {
                mb: 0.25,
                py: 0.9,
                ...(selected && {
                  bgcolor: 'rgba(108,76,241,0.12)',
                  color: 'primary.main',
                  '&:hover': { bgcolor: 'rgba(108,76,241,0.18)' },
                }),
              };
              return item.path ? (
                <ListItemButton
                  key={item.id}
                  component={NavLink}
                  to={item.path}
                  onClick={onNavigate}
                  data-testid={item.testId}
                  sx={sx}
                >
                  {content}
                </ListItemButton>
              ) : (
                <ListItemButton
                  key={item.id}
                  onClick={() => {
                    onNavigate?.();
                    onLogout();
                  }}
                  data-testid={item.testId}
                  sx={sx}
                >
                  {content}
                </ListItemButton>
              );
            })}
          </List>
        ))}
      </Box>
    </Box>
  );
}
