// Locale-aware formatting helpers (Intl, in the UI language).

/** The Intl locale of an interface language. */
export function locale(lang: string): string {
  return lang.startsWith('fr') ? 'fr-FR' : 'en-GB';
}

/** Date and time in the UI language; with `timeZone` (e.g. a site's), in that zone and naming it. */
export function formatDateTime(iso: string | null | undefined, lang: string, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat(locale(lang), {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        timeZone,
        timeZoneName: 'short',
      }).format(d);
    } catch {
      // An unknown zone: fall back to the browser's.
    }
  }
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDate(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium' }).format(d);
}

export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}
