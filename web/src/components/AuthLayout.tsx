import { Box, Paper, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../api';
import { rememberLanguage } from '../i18n';
import { useSession } from '../session';
import { BrandLogo, BrandMark } from './BrandLogo';
import { LanguageSwitch } from './LanguageSwitch';

/** Layout of the signed-out pages: brand panel on the left, form on the right. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { prefs, setAnonymousLanguage } = useSession();
  const year = new Date().getFullYear();

  const changeLanguage = (lang: Language) => {
    rememberLanguage(lang);
    setAnonymousLanguage(lang);
  };

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', bgcolor: 'background.default' }}>
      <Box
        sx={{
          display: { xs: 'none', md: 'flex' },
          flex: '0 0 42%',
          flexDirection: 'column',
          justifyContent: 'space-between',
          p: 6,
          color: '#fff',
          background: 'radial-gradient(circle at 20% 15%, #8f76f5 0%, #6c4cf1 35%, #4527a0 100%)',
          position: 'relative',
          overflow: 'hidden',
        }}
      >
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
          <BrandMark size={40} />
          <Typography sx={{ fontWeight: 800, fontSize: 22 }}>{t('app.brand')}</Typography>
        </Box>
        <Box sx={{ maxWidth: 420 }}>
          <Typography variant="h4" sx={{ fontWeight: 800, mb: 2, lineHeight: 1.2 }}>
            {t('app.tagline')}
          </Typography>
        </Box>
        <Typography variant="body2" sx={{ opacity: 0.8 }}>
          {t('app.footer', { year })}
        </Typography>
        <Box
          aria-hidden
          sx={{
            position: 'absolute',
            right: -120,
            bottom: -120,
            width: 380,
            height: 380,
            borderRadius: '50%',
            border: '60px solid rgba(255,255,255,0.06)',
          }}
        />
      </Box>
      <Box sx={{ flex: 1, display: 'flex', flexDirection: 'column', p: { xs: 2, sm: 4 } }}>
        <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Box sx={{ display: { xs: 'block', md: 'none' } }}>
            <BrandLogo size={30} />
          </Box>
          <Box sx={{ ml: 'auto' }}>
            <LanguageSwitch value={prefs.language} onChange={changeLanguage} />
          </Box>
        </Box>
        <Box sx={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', py: 4 }}>
          <Paper
            variant="outlined"
            sx={{ width: '100%', maxWidth: 440, p: { xs: 3, sm: 4.5 }, borderRadius: 4, boxShadow: '0 12px 40px rgba(30, 20, 80, 0.08)' }}
          >
            <Typography variant="h5" component="h1" sx={{ mb: 1 }} data-testid="auth-title">
              {title}
            </Typography>
            {subtitle && (
              <Typography color="text.secondary" sx={{ mb: 3 }}>
                {subtitle}
              </Typography>
            )}
            {children}
          </Paper>
        </Box>
      </Box>
    </Box>
  );
}
