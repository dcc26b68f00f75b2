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
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import SearchIcon from '@mui/icons-material/Search';
import { useState } from 'react';
import { Navigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Org } from '../api';
import { CustomerDialog } from '../components/CustomerDialog';
import { useNotify } from '../components/Notifier';
import { PageHeader } from '../components/PageHeader';
import { usePageTitle } from '../components/ShellContext';
import { TablePager } from '../components/TablePager';
import { TableStatus } from '../components/TableStatus';
import { formatDate } from '../format';
import { useDebounced } from '../hooks/useDebounced';
import { useQuery } from '../hooks/useQuery';
import { CHILD_KIND } from '../menu';
import { useMe, useSession } from '../session';
import { usePaging } from '../hooks/usePaging';

/** My customers (installer), My installers (distributor), Distributors (platform). */
export default function CustomersPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { prefs, can } = useSession();
  const notify = useNotify();
  const kind = me.org.kind;
  const childKind = CHILD_KIND[kind];
  const manage = can('orgs.manage');
  usePageTitle(childKind ? t(`customers.title.${kind}`) : '');

  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const { page, setPage, rows, setRows } = usePaging();
  const [editing, setEditing] = useState<Org | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);

  const children = useQuery(
    () => api.listChildren(me.org.id, { kind: childKind ?? undefined, q, limit: rows, offset: page * rows }),
    [me.org.id, childKind, q, rows, page],
    childKind !== null,
  );

  if (!childKind) return <Navigate to="/" replace />;

  const items = children.data?.items ?? [];
  const colSpan = manage ? 5 : 4;

  return (
    <>
      <PageHeader
        subtitle={t(`customers.subtitle.${kind}`)}
        actions={
          manage && (
            <Button
              variant="contained"
              startIcon={<AddIcon />}
              onClick={() => {
                setEditing(null);
                setDialogOpen(true);
              }}
              data-testid="customer-add"
            >
              {t(`customers.add.${kind}`)}
            </Button>
          )
        }
      />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <Box sx={{ p: 2 }}>
          <TextField
            label={t('customers.search')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(0);
            }}
            size="small"
            sx={{ maxWidth: { sm: 360 } }}
            slotProps={{
              htmlInput: { 'data-testid': 'customer-search' },
              input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
            }}
          />
        </Box>
        <TableContainer>
          <Table data-testid="customers-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('customers.col.name')}</TableCell>
                <TableCell>{t('customers.col.email')}</TableCell>
                <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>{t('customers.col.phone')}</TableCell>
                <TableCell>{t('customers.col.created')}</TableCell>
                {manage && <TableCell align="right">{t('customers.col.actions')}</TableCell>}
              </TableRow>
            </TableHead>
            <TableBody>
              {!children.error &&
                items.map((o) => (
                  <TableRow key={o.id} hover data-testid="customer-row" data-id={o.id}>
                    <TableCell>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        {o.name}
                      </Typography>
                      {o.address && (
                        <Typography variant="caption" color="text.secondary">
                          {o.address}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>{o.email}</TableCell>
                    <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>{o.phone || '—'}</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDate(o.created_at, i18n.language)}</TableCell>
                    {manage && (
                      <TableCell align="right">
                        <Tooltip title={t('common.edit')}>
                          <IconButton
                            aria-label={t('common.edit')}
                            color="primary"
                            onClick={() => {
                              setEditing(o);
                              setDialogOpen(true);
                            }}
                            data-testid="customer-edit"
                          >
                            <EditOutlinedIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              <TableStatus
                colSpan={colSpan}
                loading={children.loading}
                error={children.error}
                empty={items.length === 0}
                emptyText={t(`customers.empty.${kind}`)}
                onRetry={children.reload}
              />
            </TableBody>
          </Table>
        </TableContainer>
        <TablePager
          count={children.data?.total ?? 0}
          page={page}
          rowsPerPage={rows}
          onPageChange={setPage}
          onRowsPerPageChange={setRows}
        />
      </Paper>
      <CustomerDialog
        open={dialogOpen}
        parent={me.org}
        childKind={childKind}
        org={editing}
        defaultLanguage={prefs.language}
        onClose={() => setDialogOpen(false)}
        onSaved={(o, created) => {
          setDialogOpen(false);
          notify(created ? t('customers.invited', { email: o.email }) : t('customers.updated', { name: o.name }));
          children.reload();
        }}
      />
    </>
  );
}
