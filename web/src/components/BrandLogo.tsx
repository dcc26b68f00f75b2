import { Box, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';

/** The Cam2Drive.ai mark and word-mark. */
export function BrandMark({ size = 34 }: { size?: number }) {
  return (
    <Box
      component="svg"
      viewBox="0 0 64 64"
      aria-hidden
      sx={{ width: size, height: size, flexShrink: 0, display: 'block' }}
    >
      <defs>
        <linearGradient id="c2d-g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#8a6cff" />
          <stop offset="1" stopColor="#5e35b1" />
        </linearGradient>
      </defs>
      <rect width="64" height="64" rx="15" fill="url(#c2d-g)" />
      <path d="M14 24a4 4 0 0 1 4-4h20a4 4 0 0 1 4 4v16a4 4 0 0 1-4 4H18a4 4 0 0 1-4-4z" fill="#fff" />
      <path d="M44 29l8-5v16l-8-5z" fill="#fff" />
      <circle cx="28" cy="32" r="5" fill="#6c4cf1" />
    </Box>
  );
}

export function BrandLogo({ size = 34, subtitle }: { size?: number; subtitle?: string }) {
  const { t } = useTranslation();
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, minWidth: 0 }}>
      <BrandMark size={size} />
      <Box sx={{ minWidth: 0 }}>
        <Typography
          data-testid="brand"
          sx={{ fontWeight: 800, fontSize: size * 0.55, lineHeight: 1.1, letterSpacing: -0.3 }}
          noWrap
        >
          {t('app.brand')}
        </Typography>
        {subtitle && (
          <Typography
            data-testid="org-kind"
            variant="caption"
            sx={{ color: 'primary.main', fontWeight: 700, letterSpacing: 0.4 }}
            noWrap
          >
            {subtitle}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
