import { TablePagination } from '@mui/material';
import { useTranslation } from 'react-i18next';

export const ROWS_PER_PAGE_OPTIONS = [10, 25, 50, 100];

/** MUI TablePagination with the app's labels ("Lignes par page", "1-3 de 3"). */
export function TablePager({
  count,
  page,
  rowsPerPage,
  onPageChange,
  onRowsPerPageChange,
}: {
  count: number;
  page: number;
  rowsPerPage: number;
  onPageChange: (page: number) => void;
  onRowsPerPageChange: (rows: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <TablePagination
      component="div"
      data-testid="table-pagination"
      count={count}
      page={page}
      rowsPerPage={rowsPerPage}
      rowsPerPageOptions={ROWS_PER_PAGE_OPTIONS}
      onPageChange={(_, p) => onPageChange(p)}
      onRowsPerPageChange={(e) => onRowsPerPageChange(Number(e.target.value))}
      labelRowsPerPage={t('table.rowsPerPage')}
      labelDisplayedRows={({ from, to, count: c }) =>
        c === -1 ? t('table.displayedRowsMore', { from, to }) : t('table.displayedRows', { from, to, count: c })
      }
      getItemAriaLabel={(type) =>
        type === 'first'
          ? t('table.firstPage')
          : type === 'last'
            ? t('table.lastPage')
            : type === 'next'
              ? t('table.nextPage')
              : t('table.previousPage')
      }
    />
  );
}
