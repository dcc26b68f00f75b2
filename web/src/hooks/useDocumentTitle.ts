import { useEffect } from 'react';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Cam2Drive` : 'Cam2Drive';
  }, [title]);
}
