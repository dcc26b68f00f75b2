import { Alert, Box, Button, CircularProgress, Paper, Tab, Tabs, Typography } from '@mui/material';
import PrintOutlinedIcon from '@mui/icons-material/PrintOutlined';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Language } from '../api';
import { AppShell } from '../components/AppShell';
import { BrandLogo } from '../components/BrandLogo';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Markdown } from '../components/Markdown';
import { usePageTitle } from '../components/ShellContext';
import { RECORDER_DOCS } from '../help/recorderDocs';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { DOC_BRANDS, isDocBrand } from '../recorders';
import { useSession } from '../session';

const asLanguage = (s: string | null): Language | null => (s === 'fr' || s === 'en' ? s : null);

export const helpPath = (brand: string, lang: Language) => `/help/recorders/${encodeURIComponent(brand)}?lang=${lang}`;

/** The brand tabs, the document language and the guide itself. */
function HelpContent({ lang, onLanguage, showLanguage }: { lang: Language; onLanguage: (l: Language) => void; showLanguage: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { brand } = useParams();
  const known = isDocBrand(brand);

  return (
    <Box data-testid="help-page">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2, flexWrap: 'wrap', displayPrint: 'none' }}>
        <Tabs
          value={known ? brand : false}
          onChange={(_, b: string) => navigate(helpPath(b, lang))}
          variant="scrollable"
          allowScrollButtonsMobile
          sx={{ flex: { xs: '1 1 100%', sm: 1 }, minWidth: 0 }}
        >
          {DOC_BRANDS.map((b) => (
            <Tab key={b} value={b} label={t(`help.brand.${b}`)} data-testid={`help-brand-${b}`} />
          ))}
        </Tabs>
        {showLanguage && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            <Typography variant="body2" color="text.secondary">
              {t('help.docLanguage')}
            </Typography>
            <LanguageSwitch value={lang} onChange={onLanguage} testIdPrefix="help-lang" />
          </Box>
        )}
        <Button
          size="small"
          startIcon={<PrintOutlinedIcon />}
          onClick={() => window.print()}
          data-testid="help-print"
          sx={{ display: { xs: 'none', sm: 'inline-flex' } }}
        >
          {t('help.print')}
        </Button>
      </Box>
      <Paper variant="outlined" sx={{ p: { xs: 2.5, sm: 4 }, maxWidth: 980 }}>
        {known ? (
          <Box lang={lang} data-testid="help-doc" data-brand={brand} data-lang={lang}>
            <Markdown source={RECORDER_DOCS[brand][lang]} />
          </Box>
        ) : (
          <Alert severity="warning" data-testid="help-not-found">
            {t('help.notFound')}
          </Alert>
        )}
      </Paper>
    </Box>
  );
}

/** Inside the app shell: the document's language is ?lang, else the interface's. */
function ShellHelp() {
  const { t } = useTranslation();
  const { prefs } = useSession();
  const [params, setParams] = useSearchParams();
  usePageTitle(t('help.title'));
  const lang = asLanguage(params.get('lang')) ?? prefs.language;
  return (
    <HelpContent
      lang={lang}
      showLanguage
      onLanguage={(l) => {
        const next = new URLSearchParams(params);
        next.set('lang', l);
        setParams(next, { replace: true });
      }}
    />
  );
}

/** Signed out: a plain page whose interface follows the document's language. */
function PlainHelp() {
  const { t } = useTranslation();
  const { prefs, setAnonymousLanguage } = useSession();
  const [params, setParams] = useSearchParams();
  const wanted = asLanguage(params.get('lang'));
  useDocumentTitle(t('help.title'));

  useEffect(() => {
    if (wanted && wanted !== prefs.language) setAnonymousLanguage(wanted);
  }, [wanted, prefs.language, setAnonymousLanguage]);

  const lang = wanted ?? prefs.language;
  const change = (l: Language) => {
    setAnonymousLanguage(l);
    const next = new URLSearchParams(params);
    next.set('lang', l);
    setParams(next, { replace: true });
  };

  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <Box
        component="header"
        sx={{ display: 'flex', alignItems: 'center', gap: 2, px: { xs: 2, sm: 3 }, py: 1.5, borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper', displayPrint: 'none' }}
      >
        <BrandLogo size={30} />
        <Box sx={{ ml: 'auto', display: 'flex', alignItems: 'center', gap: 1.5 }}>
          <LanguageSwitch value={lang} onChange={change} testIdPrefix="help-lang" />
          <Button component={RouterLink} to="/login" variant="outlined" size="small" data-testid="help-sign-in">
            {t('common.signIn')}
          </Button>
        </Box>
      </Box>
      <Box component="main" sx={{ p: { xs: 2, sm: 3 }, maxWidth: 1100, mx: 'auto' }}>
        <Typography variant="h5" component="h1" sx={{ fontWeight: 700, mb: 0.5 }}>
          {t('help.title')}
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {t('help.subtitle')}
        </Typography>
        <HelpContent lang={lang} onLanguage={change} showLanguage={false} />
      </Box>
    </Box>
  );
}

function Centered({ children }: { children: ReactNode }) {
  return <Box sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>{children}</Box>;
}

/**
 * /help/recorders/:brand — in the app shell when signed in, on a plain page otherwise
 * (installers open it from a link, often without an account).
 */
export default function HelpRecordersPage() {
  const { t } = useTranslation();
  const { me, loadMe } = useSession();
  const [checked, setChecked] = useState(!!me);

  useEffect(() => {
    if (me) return;
    let live = true;
    loadMe().then(
      () => live && setChecked(true),
      () => live && setChecked(true),
    );
    return () => {
      live = false;
    };
    // Once, on arrival: a later sign-out simply shows the plain page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (me) {
    return (
      <AppShell>
        <ShellHelp />
      </AppShell>
    );
  }
  if (!checked) {
    return (
      <Centered>
        <CircularProgress aria-label={t('common.loading')} />
      </Centered>
    );
  }
  return <PlainHelp />;
}
