import { Box, Button, Typography } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { BrandLogo } from '../components/BrandLogo';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export default function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', bgcolor: 'background.default' }}>
      <Box sx={{ p: 3 }}>
        <BrandLogo size={30} />
      </Box>
      <Box
        data-testid="not-found"
        sx={{ flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: 2, p: 3, textAlign: 'center' }}
      >
        <Typography sx={{ fontSize: { xs: 72, sm: 110 }, fontWeight: 800, lineHeight: 1, color: 'primary.main', letterSpacing: -4 }}>
          {t('notFound.code')}
        </Typography>
        <Typography variant="h5" component="h1">
          {t('notFound.title')}
        </Typography>
        <Typography color="text.secondary" sx={{ maxWidth: 420 }}>
          {t('notFound.text')}
        </Typography>
        <Button component={RouterLink} to="/" variant="contained" sx={{ mt: 1 }}>
          {t('notFound.home')}
        </Button>
      </Box>
    </Box>
  );
}
