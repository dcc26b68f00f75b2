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
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Site } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useNotify } from '../components/Notifier';
import { PageHeader } from '../components/PageHeader';
import { usePageTitle } from '../components/ShellContext';
import { SiteDialog } from '../components/SiteDialog';
import { TablePager } from '../components/TablePager';
import { TableStatus } from '../components/TableStatus';
import { useDebounced } from '../hooks/useDebounced';
import { useQuery } from '../hooks/useQuery';
import { useMe, useSession } from '../session';
import { usePaging } from '../hooks/usePaging';

export default function SitesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const notify = useNotify();
  const orgId = me.org.id;
  const manage = can('sites.manage');
  usePageTitle(t('sites.title'));

  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const dName = useDebounced(name.trim(), 300);
  const dAddress = useDebounced(address.trim(), 300);
  const { page, setPage, rows, setRows } = usePaging();
  const [editing, setEditing] = useState<Site | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Site | null>(null);

  const sites = useQuery(
    () => api.listSites(orgId, { name: dName, address: dAddress, limit: rows, offset: page * rows }),
    [orgId, dName, dAddress, rows, page],
  );
  const items = sites.data?.items ?? [];
  const total = sites.data?.total ?? 0;

  // After a deletion the current page may have become empty.
  useEffect(() => {
    if (!sites.loading && page > 0 && items.length === 0 && total > 0) {
      setPage(Math.max(0, Math.ceil(total / rows) - 1));
    }
  }, [sites.loading, page, items.length, total, rows]);

  const openAdd = () => {
    setEditing(null);
    setDialogOpen(true);
  };
  const openEdit = (s: Site) => {
    setEditing(s);
    setDialogOpen(true);
  };

  const filtered = dName !== '' || dAddress !== '';
  const colSpan = manage ? 5 : 4;

  return (
    <>
      <PageHeader
        subtitle={t('sites.subtitle')}
        actions={
          manage && (
            <Button variant="contained" startIcon={<AddIcon />} onClick={openAdd} data-testid="site-add">
              {t('sites.add')}
            </Button>
          )
        }
      />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <Box sx={{ display: 'flex', gap: 2, p: 2, flexDirection: { xs: 'column', sm: 'row' } }}>
          <TextField
            label={t('sites.filterName')}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setPage(0);
            }}
            size="small"
            sx={{ maxWidth: { sm: 280 } }}
            slotProps={{
              htmlInput: { 'data-testid': 'site-filter-name' },
              input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
            }}
          />
          <TextField
            label={t('sites.filterAddress')}
            value={address}
            onChange={(e) => {
              setAddress(e.target.value);
              setPage(0);
            }}
            size="small"
            sx={{ maxWidth: { sm: 280 } }}
            slotProps={{
              htmlInput: { 'data-testid': 'site-filter-address' },
              input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
            }}
          />
        </Box>
        <TableContainer>
          <Table data-testid="sites-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('sites.col.name')}</TableCell>
                <TableCell>{t('sites.col.timezone')}</TableCell>
                <TableCell>{t('sites.col.address')}</TableCell>
                <TableCell align="center">{t('sites.col.recorders')}</TableCell>
                {manage && <TableCell align="right">{t('sites.col.actions')}</TableCell>}
              </TableRow>
            </TableHead>
            <TableBody>
              {!sites.error &&
                items.map((s) => (
                  <TableRow key={s.id} hover data-testid="site-row" data-id={s.id}>
                    <TableCell sx={{ fontWeight: 600 }}>{s.name}</TableCell>
                    <TableCell>{s.timezone}</TableCell>
                    <TableCell sx={{ color: s.address ? 'text.primary' : 'text.disabled' }}>{s.address || '—'}</TableCell>
                    <TableCell align="center">{s.recorder_count}</TableCell>
                    {manage && (
                      <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                        <Tooltip title={t('common.edit')}>
                          <IconButton aria-label={t('common.edit')} onClick={() => openEdit(s)} data-testid="site-edit" color="primary">
                            <EditOutlinedIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                        <Tooltip title={t('common.remove')}>
                          <IconButton aria-label={t('common.remove')} onClick={() => setDeleting(s)} data-testid="site-delete" color="error">
                            <DeleteOutlineIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              <TableStatus
                colSpan={colSpan}
                loading={sites.loading}
                error={sites.error}
                empty={items.length === 0}
                emptyText={filtered ? t('sites.emptyFiltered') : t('sites.empty')}
                onRetry={sites.reload}
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

      <SiteDialog
        open={dialogOpen}
        orgId={orgId}
        site={editing}
        onClose={() => setDialogOpen(false)}
        onSaved={(s) => {
          setDialogOpen(false);
          notify(editing ? t('sites.updated', { name: s.name }) : t('sites.created', { name: s.name }));
          sites.reload();
        }}
      />
      <ConfirmDialog
        open={!!deleting}
        title={t('sites.deleteTitle')}
        text={t('sites.deleteText')}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.deleteSite(orgId, deleting!.id);
          notify(t('sites.deleted'));
          sites.reload();
        }}
      />
    </>
  );
}
