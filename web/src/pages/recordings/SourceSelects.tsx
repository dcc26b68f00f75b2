import { Checkbox, FormControl, InputLabel, ListItemText, ListSubheader, MenuItem, OutlinedInput, Select, TextField } from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Camera, Site } from '../../api';

/** "Sites" (client guide §2.1): the site whose recordings are shown. */
export function SiteSelect({ sites, value, onChange }: { sites: Site[]; value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <TextField
      select
      size="small"
      label={t('recordings.filter.site')}
      value={sites.some((s) => s.id === value) ? value : ''}
      onChange={(e) => onChange(e.target.value)}
      sx={{ minWidth: 180, maxWidth: 260 }}
      slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'site-select' } as object } }}
    >
      {sites.map((s) => (
        <MenuItem key={s.id} value={s.id} data-testid="site-option" data-id={s.id}>
          {s.name}
        </MenuItem>
      ))}
    </TextField>
  );
}

const ALL = '__all__';

/** The menu's items: cameras under the name of their recorder, in the API's order (recorder, then number). */
function cameraItems(cameras: Camera[], selected: string[]): ReactNode[] {
  const out: ReactNode[] = [];
  let recorder = '';
  for (const c of cameras) {
    if (c.recorder_id !== recorder) {
      recorder = c.recorder_id;
      out.push(
        <ListSubheader key={`h-${c.recorder_id}`} sx={{ lineHeight: '32px', fontWeight: 700 }}>
          {c.recorder_name}
        </ListSubheader>,
      );
    }
    out.push(
      <MenuItem key={c.id} value={c.id} dense data-testid="camera-option" data-id={c.id}>
        <Checkbox size="small" checked={selected.includes(c.id)} sx={{ py: 0.25 }} />
        <ListItemText primary={c.name} />
      </MenuItem>,
    );
  }
  return out;
}

/** "Caméras" (client guide §2.2): one or several cameras; the last one can't be left out. */
export function CameraSelect({ cameras, value, onChange }: { cameras: Camera[]; value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const names = new Map(cameras.map((c) => [c.id, c.name]));
  const selected = value.filter((id) => names.has(id));
  const everyOne = cameras.length > 0 && selected.length === cameras.length;
  const render = () => {
    if (!cameras.length) return t('recordings.filter.noCameras');
    if (everyOne && cameras.length > 2) return t('recordings.filter.allCameras');
    if (selected.length > 2) return t('recordings.filter.camerasCount', { count: selected.length });
    return selected.map((id) => names.get(id)).join(', ');
  };
  return (
    <FormControl size="small" sx={{ minWidth: 180, maxWidth: 260 }} disabled={!cameras.length}>
      <InputLabel id="rec-cameras-label" shrink>
        {t('recordings.filter.cameras')}
      </InputLabel>
      <Select
        multiple
        displayEmpty
        labelId="rec-cameras-label"
        value={selected}
        input={<OutlinedInput notched label={t('recordings.filter.cameras')} />}
        renderValue={render}
        onChange={(e) => {
          const v = typeof e.target.value === 'string' ? e.target.value.split(',') : e.target.value;
          if (v.includes(ALL)) {
            onChange(everyOne ? [cameras[0].id] : cameras.map((c) => c.id));
            return;
          }
          // Keep the API's order, and at least one camera.
          const next = cameras.filter((c) => v.includes(c.id)).map((c) => c.id);
          if (next.length) onChange(next);
        }}
        SelectDisplayProps={{ 'data-testid': 'camera-select' } as object}
        MenuProps={{ slotProps: { paper: { sx: { maxHeight: 420 } } } }}
      >
        {cameras.length > 1 && (
          <MenuItem value={ALL} dense data-testid="camera-option-all">
            <Checkbox size="small" checked={everyOne} indeterminate={!everyOne && selected.length > 0} sx={{ py: 0.25 }} />
            <ListItemText primary={t('recordings.filter.allCameras')} slotProps={{ primary: { sx: { fontWeight: 600 } } }} />
          </MenuItem>
        )}
        {cameraItems(cameras, selected)}
      </Select>
    </FormControl>
  );
}
