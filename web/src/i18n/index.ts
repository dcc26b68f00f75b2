import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../api';
import en from './en.json';
import fr from './fr.json';

export const LANGUAGES: Language[] = ['fr', 'en'];
export const resources = { fr: { translation: fr }, en: { translation: en } } as const;

const STORAGE_KEY = 'c2d_lang';

/**
 * Language before login: the `lang` of the link followed (e-mails carry the
 * language they were written in), else an explicit choice on the login page,
 * else the browser's.
 */
export function detectLanguage(
  navigatorLanguages: readonly string[] = typeof navigator !== 'undefined'
    ? (navigator.languages?.length ? navigator.languages : [navigator.language])
    : [],
  stored: string | null = safeStorageGet(STORAGE_KEY),
  linked: string | null = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('lang') : null,
): Language {
  if (linked === 'fr' || linked === 'en') return linked;
  if (stored === 'fr' || stored === 'en') return stored;
  const first = (navigatorLanguages[0] ?? '').toLowerCase();
  return first.startsWith('fr') ? 'fr' : 'en';
}

export function rememberLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage unavailable (private mode): the choice lasts for this page only */
  }
}

function safeStorageGet(key: string): string | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage.getItem(key) : null;
  } catch {
    return null;
  }
}

void i18n.use(initReactI18next).init({
  resources,
  lng: detectLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false },
  returnNull: false,
  react: { useSuspense: false },
});

export default i18n;
