import { createContext, useContext, useEffect } from 'react';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export const ShellTitleContext = createContext<(title: string) => void>(() => {});

/** Sets the page title shown in the app bar and the browser tab. */
export function usePageTitle(title: string): void {
  const setTitle = useContext(ShellTitleContext);
  useDocumentTitle(title);
  useEffect(() => {
    setTitle(title);
  }, [title, setTitle]);
}
