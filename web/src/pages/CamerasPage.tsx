import {
  Box,
  Chip,
  IconButton,
  InputAdornment,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
} from '@mui/material';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import SearchIcon from '@mui/icons-material/Search';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Camera } from '../api';
import { CameraDialog } from '../components/CameraDialog';
import { useNotify } from '../components/Notifier';
import { PageHeader } from '../components/PageHeader';
import { usePageTitle } from '../components/ShellContext';
import { TablePager } from '../components/TablePager';
import { TableStatus } from '../components/TableStatus';
import { useDebounced } from '../hooks/useDebounced';
import { useQuery } from '../hooks/useQuery';
import { useMe, useSession } from '../session';
import { usePaging } from '../hooks/usePaging';

/** A camera number filter: digits only, else no filter (the server refuses anything else). */
export function numberFilter(value: string): string {
  const v = value.trim();
  return /^[1-9]\d{0,2}$/.test(v) ? v : '';
}

type FilterKey = 'name' | 'number' | 'recorder_name' | 'site_name';
const FILTERS: { key: FilterKey; label: string; testId: string }[] = [
  { key: 'name', label: 'cameras.filter.name', testId: 'camera-filter-name' },
  { key: 'number', label: 'cameras.filter.number', testId: 'camera-filter-number' },
  { key: 'recorder_name', label: 'cameras.filter.recorder', testId: 'camera-filter-recorder' },
  { key: 'site_name', label: 'cameras.filter.site', testId: 'camera-filter-site' },
];

/** "Mes Caméras": every camera of the organisation's recorders, with filters and the edit dialog. */
export default function CamerasPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const notify = useNotify();
  const orgId = me.org.id;
  const manage = can('cameras.manage');
  usePageTitle(t('cameras.title'));

  const [filters, setFilters] = useState<Record<FilterKey, string>>({ name: '', number: '', recorder_name: '', site_name: '' });
  const { page, setPage, rows, setRows } = usePaging();
  const [editing, setEditing] = useState<Camera | null>(null);

  // Debounced as a string: a new object on every render would restart the timer for ever.
  const key = useDebounced(
    JSON.stringify({
      name: filters.name.trim(),
      number: numberFilter(filters.number),
      recorder_name: filters.recorder_name.trim(),
      site_name: filters.site_name.trim(),
    }),
    300,
  );
  const d = useMemo(() => JSON.parse(key) as Record<FilterKey, string>, [key]);
  const cameras = useQuery(() => api.listCameras(orgId, { ...d, limit: rows, offset: page * rows }), [orgId, d, rows, page]);
  const users = useQuery(() => api.listUsers(orgId, { limit: 500 }), [orgId], manage && can('users.view'));
  const items = cameras.data?.items ?? [];
  const total = cameras.data?.total ?? 0;

  useEffect(() => {
    if (!cameras.loading && page > 0 && items.length === 0 && total > 0) {
      setPage(Math.max(0, Math.ceil(total / rows) - 1));
    }
  }, [cameras.loading, page, items.length, total, rows]);

  const filtered = Object.values(d).some((v) => v !== '');
  const colSpan = manage ? 5 : 4;

  return (
    <>
      <PageHeader subtitle={t('cameras.subtitle')} />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <Box sx={{ display: 'grid', gap: 2, p: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: 'repeat(4, minmax(0, 260px))' } }}>
          {FILTERS.map((f) => (
            <TextField
              key={f.key}
              label={t(f.label)}
              value={filters[f.key]}
              onChange={(e) => {
                setFilters((cur) => ({ ...cur, [f.key]: e.target.value }));
                setPage(0);
              }}
              size="small"
              type={f.key === 'number' ? 'number' : 'text'}
              slotProps={{
                htmlInput: { 'data-testid': f.testId, ...(f.key === 'number' ? { min: 1, max: 256, inputMode: 'numeric' } : {}) },
                input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
              }}
            />
          ))}
        </Box>
        <TableContainer>
          <Table data-testid="cameras-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('cameras.col.name')}</TableCell>
                <TableCell align="center">{t('cameras.col.number')}</TableCell>
                <TableCell>{t('cameras.col.recorder')}</TableCell>
                <TableCell>{t('cameras.col.site')}</TableCell>
                {manage && <TableCell align="right">{t('cameras.col.actions')}</TableCell>}
              </TableRow>
            </TableHead>
            <TableBody>
              {!cameras.error &&
                items.map((c) => (
                  <TableRow key={c.id} hover data-testid="camera-row" data-id={c.id}>
                    <TableCell>
                      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
                        <Box component="span" sx={{ fontWeight: 600 }}>
                          {c.name}
                        </Box>
                        {c.cloud_recording && (
                          <Tooltip title={t('cameras.cloudOn')}>
                            <Chip size="small" color="success" variant="outlined" label={t('cameras.cloudChip')} data-testid="camera-cloud-on" />
                          </Tooltip>
                        )}
                        {c.ai_enabled && (
                          <Tooltip title={t('cameras.aiOn')}>
                            <Chip size="small" color="secondary" variant="outlined" label={t('cameras.aiChip')} data-testid="camera-ai-on" />
                          </Tooltip>
                        )}
                        {c.ai_enabled && c.holo4 && (
                          <Tooltip title={t('ai.holo4Title')}>
                            <Chip size="small" color="secondary" label="HOLO4" data-testid="camera-holo4-on" />
                          </Tooltip>
                        )}
                      </Box>
                    </TableCell>
                    <TableCell align="center">{c.number}</TableCell>
                    <TableCell>{c.recorder_name}</TableCell>
                    <TableCell>{c.site_name}</TableCell>
                    {manage && (
                      <TableCell align="right">
                        <Tooltip title={t('common.edit')}>
                          <IconButton aria-label={t('common.edit')} onClick={() => setEditing(c)} data-testid="camera-edit" color="primary">
                            <EditOutlinedIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              <TableStatus
                colSpan={colSpan}
                loading={cameras.loading}
                error={cameras.error}
                empty={items.length === 0}
                emptyText={filtered ? t('cameras.emptyFiltered') : t('cameras.empty')}
                onRetry={cameras.reload}
              />
            </TableBody>
          </Table>
        </TableContainer>
        <TablePager
          count={total}
          page={page}
          rowsPerPage={rows}
          onPageChange={setPage}
          onRowsPerPageChange={setRows}
        />
      </Paper>

      <CameraDialog
        open={!!editing}
        orgId={orgId}
        camera={editing}
        users={users.data ? users.data.items : users.loading ? [] : null}
        onClose={() => setEditing(null)}
        onSaved={(c) => {
          setEditing(null);
          notify(t('cameras.updated', { name: c.name }));
          cameras.reload();
        }}
      />
    </>
  );
}
