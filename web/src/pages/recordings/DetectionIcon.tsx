import { Box, Tooltip } from '@mui/material';
import DirectionsCarOutlinedIcon from '@mui/icons-material/DirectionsCarOutlined';
import AnimationOutlinedIcon from '@mui/icons-material/AnimationOutlined';
import PersonOutlineIcon from '@mui/icons-material/PersonOutline';
import PetsOutlinedIcon from '@mui/icons-material/PetsOutlined';
import AutoAwesomeOutlinedIcon from '@mui/icons-material/AutoAwesomeOutlined';
import { useTranslation } from 'react-i18next';
import { nameIn } from '../../ai';
import { useCatalogue } from '../../hooks/useCatalogue';

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

const BASIC = Object.keys(ICONS);

/**
 * The label of a detection type: the basic types from the translations,
 * HOLO4 algorithms from the catalogue (read only when types has one).
 */
export function useTypeLabel(types: readonly string[] = []): (type: string) => string {
  const { t, i18n } = useTranslation();
  const catalogue = useCatalogue(types.some((x) => !BASIC.includes(x)));
  const names = new Map((catalogue?.packages ?? []).flatMap((p) => p.algorithms.map((a) => [a.id, nameIn(a.names, i18n.language)] as const)));
  return (type) => names.get(type) ?? t(`recordings.type.${type}`, { defaultValue: type });
}

/**
 * A row of detection icons, each with its name as tooltip: the basic types in a fixed order, then
 * the HOLO4 algorithms (the API lists types alphabetically, which scattered the sparkles among them).
 */
export function DetectionIcons({ types }: { types: readonly string[] }) {
  const label = useTypeLabel(types);
  if (!types.length) return null;
  const ordered = [...BASIC.filter((k) => types.includes(k)), ...types.filter((k) => !BASIC.includes(k))];
  return (
    <Box sx={{ display: 'inline-flex', gap: 0.25, alignItems: 'center' }} data-testid="event-types">
      {ordered.map((type) => (
        <Tooltip key={type} title={label(type)}>
          <Box component="span" sx={{ display: 'inline-flex' }} data-type={type} aria-label={label(type)} role="img">
            <DetectionIcon type={type} />
          </Box>
        </Tooltip>
      ))}
    </Box>
  );
}
