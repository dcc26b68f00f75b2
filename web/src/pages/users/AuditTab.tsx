import { Box, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { TablePager } from '../../components/TablePager';
import { TableStatus } from '../../components/TableStatus';
import { formatDateTime } from '../../format';
import { useQuery } from '../../hooks/useQuery';
import { AUDIT_ACTIONS } from '../../roles';
import { useMe } from '../../session';
import { usePaging } from '../../hooks/usePaging';

export function AuditTab() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [action, setAction] = useState('');
  const { page, setPage, rows, setRows } = usePaging();

  const events = useQuery(
    () => api.listAudit(me.org.id, { action, limit: rows, offset: page * rows }),
    [me.org.id, action, rows, page],
  );
  const items = events.data?.items ?? [];

  return (
    <>
      <Box sx={{ p: 2 }}>
        <TextField
          select
          label={t('audit.filter')}
          value={action}
          onChange={(e) => {
            setAction(e.target.value);
            setPage(0);
          }}
          size="small"
          sx={{ maxWidth: 320 }}
          slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'audit-action-filter' }, inputLabel: { shrink: true } }}
        >
          <option value="">{t('audit.allActions')}</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`audit.action.${a}`)}
            </option>
          ))}
        </TextField>
      </Box>
      <TableContainer>
        <Table data-testid="audit-table">
          <TableHead>
            <TableRow>
              <TableCell>{t('audit.col.date')}</TableCell>
              <TableCell>{t('audit.col.action')}</TableCell>
              <TableCell>{t('audit.col.actor')}</TableCell>
              <TableCell>{t('audit.col.target')}</TableCell>
              <TableCell>{t('audit.col.ip')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {!events.error &&
              items.map((ev) => (
                <TableRow key={ev.id} hover data-testid="audit-row" data-action={ev.action}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(ev.created_at, i18n.language)}</TableCell>
                  <TableCell>
                    <Typography variant="body2" sx={{ fontWeight: 600 }}>
                      {t(`audit.action.${ev.action}`, { defaultValue: ev.action })}
                    </Typography>
                    {ev.detail && (
                      <Typography variant="caption" color="text.secondary">
                        {ev.detail}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{ev.actor_email || '—'}</TableCell>
                  <TableCell>{ev.target || '—'}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>{ev.ip || '—'}</TableCell>
                </TableRow>
              ))}
            <TableStatus
              colSpan={5}
              loading={events.loading}
              error={events.error}
              empty={items.length === 0}
              emptyText={t('audit.empty')}
              onRetry={events.reload}
            />
          </TableBody>
        </Table>
      </TableContainer>
      <TablePager
        count={events.data?.total ?? 0}
        page={page}
        rowsPerPage={rows}
        onPageChange={setPage}
        onRowsPerPageChange={setRows}
      />
    </>
  );
}
