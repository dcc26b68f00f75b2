// Locale-aware formatting helpers (Intl, in the UI language).

function locale(lang: string): string {
  return lang.startsWith('fr') ? 'fr-FR' : 'en-GB';
}

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
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
