import { IconButton, ListItemIcon, ListItemText, Menu, MenuItem, Switch, Tooltip } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import CropFreeOutlinedIcon from '@mui/icons-material/CropFreeOutlined';
import DownloadOutlinedIcon from '@mui/icons-material/DownloadOutlined';
import MoreVertIcon from '@mui/icons-material/MoreVert';
import PictureInPictureAltOutlinedIcon from '@mui/icons-material/PictureInPictureAltOutlined';
import SpeedOutlinedIcon from '@mui/icons-material/SpeedOutlined';
import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SPEEDS } from './keyboard';

/** "1×", "0,25×" in the UI language. */
export function speedLabel(s: number, lang: string): string {
  return `${new Intl.NumberFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB').format(s)}×`;
}

/**
 * The ⋮ menu in the player's bottom-right corner (client guide §2.7.1–2.7.3):
 * Download, Playback speed, PiP mode; and whether to draw the detection boxes.
 */
export function PlayerMenu({
  download,
  filename,
  speed,
  onSpeed,
  video,
  pipSupported,
  onPip,
  boxes,
  onBoxes,
  onDownload,
}: {
  /** The download URL; "" hides the item (no permission, or nothing to download yet). */
  download: string;
  filename: string;
  /** Called on a click on Download before the browser follows the link (which it may prevent). */
  onDownload?: (e: MouseEvent<HTMLElement>) => void;
  speed: number;
  onSpeed: (s: number) => void;
  /** Whether the event is a clip (speed and PiP apply). */
  video: boolean;
  pipSupported: boolean;
  onPip: () => void;
  /** Whether detection boxes are drawn over the picture; undefined hides the item. */
  boxes?: boolean;
  onBoxes?: (on: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [speedAnchor, setSpeedAnchor] = useState<HTMLElement | null>(null);
  const close = () => {
    setAnchor(null);
    setSpeedAnchor(null);
  };

  return (
    <>
      <Tooltip title={t('recordings.player.more')}>
        <IconButton
          onClick={(e) => setAnchor(e.currentTarget)}
          aria-label={t('recordings.player.more')}
          aria-haspopup="menu"
          data-testid="player-menu"
          sx={{ color: 'inherit' }}
        >
          <MoreVertIcon />
        </IconButton>
      </Tooltip>
      <Menu
        open={!!anchor}
        anchorEl={anchor}
        onClose={close}
        anchorOrigin={{ vertical: 'top', horizontal: 'right' }}
        transformOrigin={{ vertical: 'bottom', horizontal: 'right' }}
      >
        {download && (
          <MenuItem
            component="a"
            href={download}
            download={filename || true}
            onClick={(e: MouseEvent<HTMLElement>) => {
              onDownload?.(e);
              close();
            }}
            data-testid="player-download"
          >
            <ListItemIcon>
              <DownloadOutlinedIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText primary={t('recordings.player.download')} secondary={video ? 'MP4' : 'JPEG'} />
          </MenuItem>
        )}
        {video && (
          <MenuItem onClick={(e) => setSpeedAnchor(e.currentTarget)} data-testid="player-speed" aria-haspopup="menu">
            <ListItemIcon>
              <SpeedOutlinedIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText primary={t('recordings.player.speed')} secondary={speed === 1 ? t('recordings.player.normal') : speedLabel(speed, i18n.language)} />
            <ChevronRightIcon fontSize="small" sx={{ ml: 1, color: 'text.secondary' }} />
          </MenuItem>
        )}
        {video && (
          <Tooltip title={pipSupported ? '' : t('recordings.player.pipUnsupported')} placement="left">
            <span>
              <MenuItem
                disabled={!pipSupported}
                onClick={() => {
                  close();
                  onPip();
                }}
                data-testid="player-pip"
              >
                <ListItemIcon>
                  <PictureInPictureAltOutlinedIcon fontSize="small" />
                </ListItemIcon>
                <ListItemText primary={t('recordings.player.pip')} />
              </MenuItem>
            </span>
          </Tooltip>
        )}
        {boxes !== undefined && onBoxes && (
          <MenuItem role="menuitemcheckbox" aria-checked={boxes} onClick={() => onBoxes(!boxes)} data-testid="player-boxes" data-on={boxes ? 'true' : 'false'}>
            <ListItemIcon>
              <CropFreeOutlinedIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText primary={t('recordings.player.boxes')} secondary={t('recordings.player.boxesHint')} />
            <Switch size="small" edge="end" checked={boxes} tabIndex={-1} inputProps={{ 'aria-hidden': true }} sx={{ ml: 1 }} />
          </MenuItem>
        )}
      </Menu>
      <Menu
        open={!!speedAnchor}
        anchorEl={speedAnchor}
        onClose={() => setSpeedAnchor(null)}
        anchorOrigin={{ vertical: 'top', horizontal: 'left' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ list: { dense: true, 'data-testid': 'speed-menu' } as object }}
      >
        {[...SPEEDS].reverse().map((s) => (
          <MenuItem
            key={s}
            selected={s === speed}
            onClick={() => {
              onSpeed(s);
              close();
            }}
            data-testid="speed-option"
            data-speed={s}
          >
            <ListItemIcon>{s === speed && <CheckIcon fontSize="small" />}</ListItemIcon>
            {s === 1 ? t('recordings.player.normal') : speedLabel(s, i18n.language)}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
