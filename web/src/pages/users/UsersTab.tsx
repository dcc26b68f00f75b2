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
  TextField,
  Tooltip,
} from '@mui/material';
import PersonAddAlt1OutlinedIcon from '@mui/icons-material/PersonAddAlt1Outlined';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutline';
import ForwardToInboxOutlinedIcon from '@mui/icons-material/ForwardToInboxOutlined';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type User } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useNotify } from '../../components/Notifier';
import { TablePager } from '../../components/TablePager';
import { TableStatus } from '../../components/TableStatus';
import { UserDialog } from '../../components/UserDialog';
import { errorMessage } from '../../errors';
import { useQuery } from '../../hooks/useQuery';
import { roleLabel } from '../../roles';
import { useMe, useSession } from '../../session';
import { usePaging } from '../../hooks/usePaging';

export function UsersTab() {
  const { t } = useTranslation();
  const me = useMe();
  const { prefs, can } = useSession();
  const notify = useNotify();
  const orgId = me.org.id;
  const manage = can('users.manage');
  const [roleFilter, setRoleFilter] = useState('');
  const { page, setPage, rows, setRows } = usePaging();
  const [editing, setEditing] = useState<User | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<User | null>(null);

  const roles = useQuery(() => api.listRoles(orgId, { limit: 500 }), [orgId], can('roles.view'));
  const roleList = useMemo(() => roles.data?.items ?? [], [roles.data]);
  const roleById = useMemo(() => new Map(roleList.map((r) => [r.id, r])), [roleList]);
  const users = useQuery(
    () => api.listUsers(orgId, { role_id: roleFilter, limit: rows, offset: page * rows }),
    [orgId, roleFilter, rows, page],
  );
  const items = users.data?.items ?? [];
  const colSpan = manage ? 5 : 4;

  const resend = async (u: User) => {
    try {
      await api.resendInvitation(orgId, u.id);
      notify(t('usersTab.resent', { email: u.email }));
    } catch (e) {
      notify(errorMessage(e, t), 'error');
    }
  };

  return (
    <>
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 2, p: 2, flexWrap: 'wrap' }}>
        <TextField
          select
          label={t('usersTab.filter')}
          value={roleFilter}
          onChange={(e) => {
            setRoleFilter(e.target.value);
            setPage(0);
          }}
          size="small"
          sx={{ maxWidth: 280 }}
          disabled={roleList.length === 0}
          slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'role-filter' }, inputLabel: { shrink: true } }}
        >
          <option value="">{t('usersTab.allRoles')}</option>
          {roleList.map((r) => (
            <option key={r.id} value={r.id}>
              {roleLabel(r, t)}
            </option>
          ))}
        </TextField>
        {manage && (
          <Button
            variant="contained"
            startIcon={<PersonAddAlt1OutlinedIcon />}
            onClick={() => {
              setEditing(null);
              setDialogOpen(true);
            }}
            data-testid="user-add"
          >
            {t('usersTab.add')}
          </Button>
        )}
      </Box>
      <TableContainer>
        <Table data-testid="users-table">
          <TableHead>
            <TableRow>
              <TableCell>{t('usersTab.col.email')}</TableCell>
              <TableCell>{t('usersTab.col.name')}</TableCell>
              <TableCell>{t('usersTab.col.role')}</TableCell>
              <TableCell>{t('usersTab.col.status')}</TableCell>
              {manage && <TableCell align="right">{t('usersTab.col.actions')}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {!users.error &&
              items.map((u) => {
                const self = u.id === me.user.id;
                const role = roleById.get(u.role_id);
                return (
                  <TableRow key={u.id} hover data-testid="user-row" data-id={u.id} data-status={u.status}>
                    <TableCell sx={{ fontWeight: 600 }}>
                      {u.email}
                      {self && <Chip label={t('usersTab.you')} size="small" sx={{ ml: 1 }} />}
                    </TableCell>
                    <TableCell sx={{ color: u.name ? 'text.primary' : 'text.disabled' }}>{u.name || '—'}</TableCell>
                    <TableCell>{role ? roleLabel(role, t) : u.role_name}</TableCell>
                    <TableCell>
                      <Chip
                        size="small"
                        data-testid="user-status"
                        color={u.status === 'active' ? 'success' : 'warning'}
                        variant={u.status === 'active' ? 'filled' : 'outlined'}
                        label={t(`usersTab.status.${u.status}`)}
                      />
                    </TableCell>
                    {manage && (
                      <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                        {u.status === 'invited' && (
                          <Tooltip title={t('usersTab.resend')}>
                            <IconButton aria-label={t('usersTab.resend')} onClick={() => void resend(u)} data-testid="user-resend">
                              <ForwardToInboxOutlinedIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                        )}
                        <Tooltip title={t('common.edit')}>
                          <IconButton
                            aria-label={t('common.edit')}
                            color="primary"
                            onClick={() => {
                              setEditing(u);
                              setDialogOpen(true);
                            }}
                            data-testid="user-edit"
                          >
                            <EditOutlinedIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                        {!self && (
                          <Tooltip title={t('common.remove')}>
                            <IconButton aria-label={t('common.remove')} color="error" onClick={() => setDeleting(u)} data-testid="user-delete">
                              <DeleteOutlineIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                        )}
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            <TableStatus
              colSpan={colSpan}
              loading={users.loading}
              error={users.error}
              empty={items.length === 0}
              emptyText={t('usersTab.empty')}
              onRetry={users.reload}
            />
          </TableBody>
        </Table>
      </TableContainer>
      <TablePager
        count={users.data?.total ?? 0}
        page={page}
        rowsPerPage={rows}
        onPageChange={setPage}
        onRowsPerPageChange={setRows}
      />
      <UserDialog
        open={dialogOpen}
        orgId={orgId}
        user={editing}
        roles={roleList}
        language={prefs.language}
        onClose={() => setDialogOpen(false)}
        onSaved={(u, created) => {
          setDialogOpen(false);
          notify(created ? t('usersTab.invited', { email: u.email }) : t('usersTab.updated', { email: u.email }));
          users.reload();
          roles.reload();
        }}
      />
      <ConfirmDialog
        open={!!deleting}
        title={t('usersTab.deleteTitle')}
        text={t('usersTab.deleteText', { email: deleting?.email ?? '' })}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.deleteUser(orgId, deleting!.id);
          notify(t('usersTab.deleted'));
          users.reload();
          roles.reload();
        }}
      />
    </>
  );
}
