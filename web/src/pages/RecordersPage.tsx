import {
  Box,
  Button,
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
import AddIcon from '@mui/icons-material/Add';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutline';
import SearchIcon from '@mui/icons-material/Search';
import SettingsOutlinedIcon from '@mui/icons-material/SettingsOutlined';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type Recorder } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useNotify } from '../components/Notifier';
import { PageHeader } from '../components/PageHeader';
import { RecorderDialog } from '../components/RecorderDialog';
import { RecorderStatusBadge } from '../components/RecorderStatusBadge';
import { usePageTitle } from '../components/ShellContext';
import { TablePager } from '../components/TablePager';
import { TableStatus } from '../components/TableStatus';
import { useDebounced } from '../hooks/useDebounced';
import { useQuery } from '../hooks/useQuery';
import { formatCapacity } from '../recorders';
import { useMe, useSession } from '../session';
import { usePaging } from '../hooks/usePaging';

export const wizardPath = (id: string) => `/recorders/${encodeURIComponent(id)}/configure`;

/** "Mes enregistreurs": list, add (then configure), edit, delete. */
export default function RecordersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const notify = useNotify();
  const navigate = useNavigate();
  const orgId = me.org.id;
  const manage = can('recorders.manage');
  usePageTitle(t('recorders.title'));

  const [q, setQ] = useState('');
  const [siteFilter, setSiteFilter] = useState('');
  const dQ = useDebounced(q.trim(), 300);
  const { page, setPage, rows, setRows } = usePaging();
  const [editing, setEditing] = useState<Recorder | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Recorder | null>(null);

  const sites = useQuery(() => api.listSites(orgId, { limit: 500 }), [orgId], can('sites.view'));
  const siteList = useMemo(() => sites.data?.items ?? [], [sites.data]);
  const recorders = useQuery(
    () => api.listRecorders(orgId, { q: dQ, site_id: siteFilter, limit: rows, offset: page * rows }),
    [orgId, dQ, siteFilter, rows, page],
  );
  const items = recorders.data?.items ?? [];
  const total = recorders.data?.total ?? 0;

  // After a deletion the current page may have become empty.
  useEffect(() => {
    if (!recorders.loading && page > 0 && items.length === 0 && total > 0) {
      setPage(Math.max(0, Math.ceil(total / rows) - 1));
    }
  }, [recorders.loading, page, items.length, total, rows]);

  const filtered = dQ !== '' || siteFilter !== '';
  const colSpan = 8;

  return (
    <>
      <PageHeader
        subtitle={t('recorders.subtitle')}
        actions={
          manage && (
            <Button
              variant="contained"
              startIcon={<AddIcon />}
              onClick={() => {
                setEditing(null);
                setDialogOpen(true);
              }}
              data-testid="recorder-add"
            >
              {t('recorders.add')}
            </Button>
          )
        }
      />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <Box sx={{ display: 'flex', gap: 2, p: 2, flexDirection: { xs: 'column', sm: 'row' } }}>
          <TextField
            label={t('recorders.filterName')}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(0);
            }}
            size="small"
            sx={{ maxWidth: { sm: 280 } }}
            slotProps={{
              htmlInput: { 'data-testid': 'recorder-filter-name' },
              input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
            }}
          />
          {siteList.length > 1 && (
            <TextField
              select
              label={t('recorders.filterSite')}
              value={siteFilter}
              onChange={(e) => {
                setSiteFilter(e.target.value);
                setPage(0);
              }}
              size="small"
              sx={{ minWidth: 200, maxWidth: { sm: 280 } }}
              slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'recorder-filter-site' }, inputLabel: { shrink: true } }}
            >
              <option value="">{t('recorders.allSites')}</option>
              {siteList.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </TextField>
          )}
        </Box>
        <TableContainer>
          <Table data-testid="recorders-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('recorders.col.name')}</TableCell>
                <TableCell>{t('recorders.col.manufacturer')}</TableCell>
                <TableCell>{t('recorders.col.site')}</TableCell>
                <TableCell>{t('recorders.col.type')}</TableCell>
                <TableCell align="center">{t('recorders.col.cameras')}</TableCell>
                <TableCell>{t('recorders.col.disk')}</TableCell>
                <TableCell>{t('recorders.col.status')}</TableCell>
                <TableCell align="right">{t('recorders.col.actions')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {!recorders.error &&
                items.map((r) => (
                  <TableRow key={r.id} hover data-testid="recorder-row" data-id={r.id}>
                    <TableCell sx={{ fontWeight: 600 }}>{r.name}</TableCell>
                    <TableCell>{t(`recorder.manufacturer.${r.manufacturer}`, { defaultValue: r.manufacturer })}</TableCell>
                    <TableCell>{r.site_name}</TableCell>
                    <TableCell>{t(`recorder.type.${r.type}`, { defaultValue: r.type })}</TableCell>
                    <TableCell align="center">{r.camera_count}</TableCell>
                    <TableCell data-testid="recorder-disk" sx={{ color: r.virtual_disk ? 'text.primary' : 'text.disabled', whiteSpace: 'nowrap' }}>
                      {r.virtual_disk ? formatCapacity(r.virtual_disk.capacity_gb, i18n.language) : '—'}
                    </TableCell>
                    <TableCell>
                      <RecorderStatusBadge status={r.status} />
                    </TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                      <Tooltip title={t('recorders.configure')}>
                        <IconButton
                          aria-label={t('recorders.configure')}
                          onClick={() => navigate(wizardPath(r.id))}
                          data-testid="recorder-wizard"
                          color="primary"
                        >
                          <SettingsOutlinedIcon fontSize="small" />
                        </IconButton>
                      </Tooltip>
                      {manage && (
                        <>
                          <Tooltip title={t('common.edit')}>
                            <IconButton
                              aria-label={t('common.edit')}
                              onClick={() => {
                                setEditing(r);
                                setDialogOpen(true);
                              }}
                              data-testid="recorder-edit"
                              color="primary"
                            >
                              <EditOutlinedIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                          <Tooltip title={t('common.remove')}>
                            <IconButton aria-label={t('common.remove')} onClick={() => setDeleting(r)} data-testid="recorder-delete" color="error">
                              <DeleteOutlineIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                        </>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              <TableStatus
                colSpan={colSpan}
                loading={recorders.loading}
                error={recorders.error}
                empty={items.length === 0}
                emptyText={filtered ? t('recorders.emptyFiltered') : t('recorders.empty')}
                onRetry={recorders.reload}
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

      <RecorderDialog
        open={dialogOpen}
        orgId={orgId}
        recorder={editing}
        sites={siteList}
        onClose={() => setDialogOpen(false)}
        onSaved={(r, created) => {
          // A new recorder keeps the dialog open on its "Félicitation !" step.
          if (!created) {
            setDialogOpen(false);
            notify(t('recorders.updated', { name: r.name }));
          }
          recorders.reload();
        }}
        onConfigure={(r) => {
          setDialogOpen(false);
          navigate(wizardPath(r.id));
        }}
      />
      <ConfirmDialog
        open={!!deleting}
        title={t('recorders.deleteTitle')}
        text={t('recorders.deleteText', { name: deleting?.name ?? '' })}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.deleteRecorder(orgId, deleting!.id);
          notify(t('recorders.deleted'));
          recorders.reload();
        }}
      />
    </>
  );
}
