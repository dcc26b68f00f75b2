import { Box, Tooltip } from '@mui/material';
import DirectionsCarOutlinedIcon from '@mui/icons-material/DirectionsCarOutlined';
import AnimationOutlinedIcon from '@mui/icons-material/AnimationOutlined';
import PersonOutlineIcon from '@mui/icons-material/PersonOutline';
import PetsOutlinedIcon from '@mui/icons-material/PetsOutlined';
import AutoAwesomeOutlinedIcon from '@mui/icons-material/AutoAwesomeOutlined';
import { useTranslation } from 'react-i18next';

const ICONS: Record<string, typeof PersonOutlineIcon> = {
  motion: AnimationOutlinedIcon,
  person: PersonOutlineIcon,
  vehicle: DirectionsCarOutlinedIcon,
  animal: PetsOutlinedIcon,
};

/** Each detection type's colour, so that icons read at a glance in the list. */
export const TYPE_COLORS: Record<string, string> = {
  motion: '#f59e0b',
  person: '#6c4cf1',
  vehicle: '#0ea5e9',
  animal: '#22a06b',
};

/** The icon of a detection type (an AI sparkle for HOLO4 algorithms). */
export function DetectionIcon({ type, fontSize = 'small' }: { type: string; fontSize?: 'small' | 'inherit' | 'medium' }) {
  const Icon = ICONS[type] ?? AutoAwesomeOutlinedIcon;
  return <Icon fontSize={fontSize} sx={{ color: TYPE_COLORS[type] ?? 'secondary.main' }} />;
}

/** The label of a detection type. */
export function useTypeLabel(): (type: string) => string {
  const { t } = useTranslation();
  return (type) => t(`recordings.type.${type}`, { defaultValue: type });
}

/** A row of detection icons, each with its name as tooltip. */
export function DetectionIcons({ types }: { types: readonly string[] }) {
  const label = useTypeLabel();
  if (!types.length) return null;
  return (
    <Box sx={{ display: 'inline-flex', gap: 0.25, alignItems: 'center' }} data-testid="event-types">
      {types.map((type) => (
        <Tooltip key={type} title={label(type)}>
          <Box component="span" sx={{ display: 'inline-flex' }} data-type={type} aria-label={label(type)} role="img">
            <DetectionIcon type={type} />
          </Box>
        </Tooltip>
      ))}
    </Box>
  );
}
