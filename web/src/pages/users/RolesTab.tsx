import {
  Box,
  Button,
  Chip,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import VisibilityOutlinedIcon from '@mui/icons-material/VisibilityOutlined';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutline';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Role } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useNotify } from '../../components/Notifier';
import { RoleDialog } from '../../components/RoleDialog';
import { TablePager } from '../../components/TablePager';
import { TableStatus } from '../../components/TableStatus';
import { useQuery } from '../../hooks/useQuery';
import { roleLabel } from '../../roles';
import { useMe, useSession } from '../../session';
import { usePaging } from '../../hooks/usePaging';

export function RolesTab() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const notify = useNotify();
  const orgId = me.org.id;
  const manage = can('roles.manage');
  const { page, setPage, rows, setRows } = usePaging();
  const [editing, setEditing] = useState<Role | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Role | null>(null);

  const roles = useQuery(() => api.listRoles(orgId, { limit: rows, offset: page * rows }), [orgId, rows, page]);
  const catalogue = useQuery(() => api.permissions(), []);
  const items = roles.data?.items ?? [];

  return (
    <>
      {manage && (
        <Box sx={{ display: 'flex', justifyContent: 'flex-end', p: 2 }}>
          <Button
            variant="contained"
            startIcon={<AddIcon />}
            onClick={() => {
              setEditing(null);
              setDialogOpen(true);
            }}
            data-testid="role-add"
          >
            {t('roles.add')}
          </Button>
        </Box>
      )}
      <TableContainer>
        <Table data-testid="roles-table">
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 80 }}>{t('roles.col.number')}</TableCell>
              <TableCell>{t('roles.col.role')}</TableCell>
              <TableCell align="center">{t('roles.col.users')}</TableCell>
              <TableCell align="right">{t('roles.col.actions')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {!roles.error &&
              items.map((r, i) => {
                const locked = !manage || r.builtin === 'admin';
                return (
                  <TableRow key={r.id} hover data-testid="role-row" data-id={r.id} data-builtin={r.builtin || undefined}>
                    <TableCell>{page * rows + i + 1}</TableCell>
                    <TableCell>
                      <Box component="span" sx={{ fontWeight: 600 }}>
                        {roleLabel(r, t)}
                      </Box>
                      {r.builtin && <Chip label={t('roles.builtinChip')} size="small" variant="outlined" sx={{ ml: 1 }} />}
                    </TableCell>
                    <TableCell align="center">{r.user_count}</TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                      <Tooltip title={locked ? roleLabel(r, t) : t('common.edit')}>
                        <IconButton
                          aria-label={t('common.edit')}
                          color="primary"
                          onClick={() => {
                            setEditing(r);
                            setDialogOpen(true);
                          }}
                          data-testid="role-edit"
                        >
                          {locked ? <VisibilityOutlinedIcon fontSize="small" /> : <EditOutlinedIcon fontSize="small" />}
                        </IconButton>
                      </Tooltip>
                      {manage && !r.builtin && (
                        <Tooltip title={t('common.remove')}>
                          <IconButton aria-label={t('common.remove')} color="error" onClick={() => setDeleting(r)} data-testid="role-delete">
                            <DeleteOutlineIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            <TableStatus
              colSpan={4}
              loading={roles.loading}
              error={roles.error}
              empty={items.length === 0}
              emptyText={t('roles.empty')}
              onRetry={roles.reload}
            />
          </TableBody>
        </Table>
      </TableContainer>
      <TablePager
        count={roles.data?.total ?? 0}
        page={page}
        rowsPerPage={rows}
        onPageChange={setPage}
        onRowsPerPageChange={setRows}
      />
      <RoleDialog
        open={dialogOpen}
        orgId={orgId}
        role={editing}
        catalogue={catalogue.data?.items ?? []}
        readOnly={!manage}
        onClose={() => setDialogOpen(false)}
        onSaved={(r) => {
          setDialogOpen(false);
          notify(editing ? t('roles.updated', { name: roleLabel(r, t) }) : t('roles.created', { name: r.name }));
          roles.reload();
        }}
      />
      <ConfirmDialog
        open={!!deleting}
        title={t('roles.deleteTitle')}
        text={t('roles.deleteText', { name: deleting ? roleLabel(deleting, t) : '' })}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.deleteRole(orgId, deleting!.id);
          notify(t('roles.deleted'));
          roles.reload();
        }}
      />
    </>
  );
}
