import type { TFunction } from 'i18next';
import { ApiError } from './api';

/** The text to show for an error: the server's message (already translated), else a generic one. */
export function errorMessage(e: unknown, t: TFunction): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t('errors.network');
    if (e.message && e.message !== e.code) return e.message;
    const key = `errors.${e.code}`;
    return t(key, { defaultValue: t('errors.generic') });
  }
  return t('errors.generic');
}

/** Field errors of a 400 invalid answer, keyed by field name. */
export function fieldErrors(e: unknown): Record<string, string> {
  return e instanceof ApiError ? e.fields : {};
}
