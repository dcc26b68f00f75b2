import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../session';

/**
 * Page and rows-per-page of a server-paged table: starts at the user's
 * "rows per page" preference, follows it when it changes, and goes back to
 * the first page whenever the page size changes.
 */
export function usePaging() {
  const { prefs } = useSession();
  const [page, setPage] = useState(0);
  const [rows, setRowsState] = useState<number>(prefs.rows_per_page);
  useEffect(() => {
    setRowsState(prefs.rows_per_page);
    setPage(0);
  }, [prefs.rows_per_page]);
  const setRows = useCallback((r: number) => {
    setRowsState(r);
    setPage(0);
  }, []);
  return { page, setPage, rows, setRows };
}
