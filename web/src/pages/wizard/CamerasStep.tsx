import {
  Alert,
  Box,
  InputAdornment,
  LinearProgress,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Paper,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AutoAwesomeOutlinedIcon from '@mui/icons-material/AutoAwesomeOutlined';
import CloudDoneOutlinedIcon from '@mui/icons-material/CloudDoneOutlined';
import SearchIcon from '@mui/icons-material/Search';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Camera, type Recorder } from '../../api';
import { errorMessage } from '../../errors';
import { useAi } from '../../hooks/useAi';
import { useQuery } from '../../hooks/useQuery';
import { CameraForm } from './CameraForm';
import { StepHeader } from './StepHeader';

/** "1 : CH_1" entries matching the filter (by number or name). */
export function filterCameras(cameras: readonly Camera[], filter: string): Camera[] {
  const f = filter.trim().toLowerCase();
  if (!f) return [...cameras];
  return cameras.filter((c) => String(c.number) === f || c.name.toLowerCase().includes(f));
}

/** Étape 4 — Liste des caméras: the channel list on the left, the selected camera's settings on the right. */
export function CamerasStep({
  recorder,
  canView,
  canEdit,
  onSkip,
}: {
  recorder: Recorder;
  canView: boolean;
  canEdit: boolean;
  onSkip: () => void;
}) {
  const { t } = useTranslation();
  const query = useQuery(
    () => api.listCameras(recorder.org_id, { recorder_id: recorder.id, limit: 500 }),
    [recorder.org_id, recorder.id, recorder.camera_count],
    canView,
  );
  const ai = useAi(recorder.org_id, canView);
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [filter, setFilter] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);

  useEffect(() => {
    if (query.data) setCameras([...query.data.items].sort((a, b) => a.number - b.number));
  }, [query.data]);

  const shown = useMemo(() => filterCameras(cameras, filter), [cameras, filter]);
  const selected = cameras.find((c) => c.id === selectedId) ?? shown[0] ?? null;
  const disk = recorder.virtual_disk;
  const inCloud = cameras.filter((c) => c.cloud_recording).length;

  return (
    <Box data-testid="cameras-step">
      <StepHeader n={4} title={t('wizard.steps.cameras')} onSkip={onSkip}>
        {t('wizard.cameras.intro')}
      </StepHeader>
      {!canView ? (
        <Alert severity="info">{t('errors.forbidden')}</Alert>
      ) : query.error ? (
        <Alert severity="error" data-testid="cameras-error">
          {errorMessage(query.error, t)}
        </Alert>
      ) : (
        <>
          {disk ? (
            <Alert severity={inCloud >= disk.camera_limit ? 'warning' : 'info'} sx={{ mb: 2 }} data-testid="camera-usage">
              {t('wizard.cameras.usage', { count: inCloud, limit: disk.camera_limit })}
            </Alert>
          ) : (
            <Alert severity="warning" sx={{ mb: 2 }} data-testid="camera-no-disk">
              {t('wizard.cameras.noDisk')}
            </Alert>
          )}
          <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', md: '280px 1fr' }, alignItems: 'start' }}>
            <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
              <Box sx={{ p: 1.5 }}>
                <TextField
                  label={t('wizard.cameras.filter')}
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                  size="small"
                  fullWidth
                  slotProps={{
                    htmlInput: { 'data-testid': 'camera-filter' },
                    input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
                  }}
                />
              </Box>
              {query.loading && cameras.length === 0 && <LinearProgress aria-label={t('common.loading')} />}
              <List dense sx={{ maxHeight: { xs: 260, md: 460 }, overflowY: 'auto', py: 0 }} data-testid="camera-list">
                {shown.map((c) => (
                  <ListItemButton
                    key={c.id}
                    selected={selected?.id === c.id}
                    onClick={() => setSelectedId(c.id)}
                    data-testid="camera-item"
                    data-number={c.number}
                  >
                    <ListItemText
                      primary={t('wizard.cameras.item', { number: c.number, name: c.name })}
                      slotProps={{ primary: { noWrap: true, fontWeight: selected?.id === c.id ? 700 : 500 } }}
                    />
                    {c.ai_enabled && (
                      <ListItemIcon sx={{ minWidth: 0, color: 'secondary.main', mr: 0.5 }} data-testid="camera-item-ai">
                        <Tooltip title={c.holo4 ? `${t('cameras.aiOn')} · HOLO4` : t('cameras.aiOn')}>
                          <AutoAwesomeOutlinedIcon fontSize="small" aria-label={t('cameras.aiOn')} />
                        </Tooltip>
                      </ListItemIcon>
                    )}
                    {c.cloud_recording && (
                      <ListItemIcon sx={{ minWidth: 0, color: 'success.main' }}>
                        <Tooltip title={t('cameras.cloudOn')}>
                          <CloudDoneOutlinedIcon fontSize="small" aria-label={t('cameras.cloudOn')} />
                        </Tooltip>
                      </ListItemIcon>
                    )}
                  </ListItemButton>
                ))}
                {!query.loading && shown.length === 0 && (
                  <Typography color="text.secondary" variant="body2" sx={{ p: 2 }}>
                    {t('wizard.cameras.empty')}
                  </Typography>
                )}
              </List>
            </Paper>
            <Paper variant="outlined" sx={{ p: { xs: 2, sm: 3 } }}>
              {selected ? (
                <CameraForm
                  key={selected.id}
                  orgId={recorder.org_id}
                  camera={selected}
                  canEdit={canEdit}
                  ai={ai}
                  onSaved={(cam) => setCameras((list) => list.map((c) => (c.id === cam.id ? cam : c)))}
                />
              ) : (
                <Typography color="text.secondary">{t('wizard.cameras.choose')}</Typography>
              )}
            </Paper>
          </Box>
        </>
      )}
    </Box>
  );
}
