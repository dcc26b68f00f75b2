import { Box, Button, Typography } from '@mui/material';
import ErrorOutlineIcon from '@mui/icons-material/ErrorOutline';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

interface State {
  error: Error | null;
}

/** Catches render errors and offers a reload instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // Visible to developers; the user sees the friendly page below.
    console.error('Unhandled UI error', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <Box
            role="alert"
            data-testid="error-boundary"
            sx={{ minHeight: '60vh', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: 2, p: 4, textAlign: 'center' }}
          >
            <ErrorOutlineIcon color="error" sx={{ fontSize: 56 }} />
            <Typography variant="h5">{t('errors.boundaryTitle')}</Typography>
            <Typography color="text.secondary" sx={{ maxWidth: 480 }}>
              {t('errors.boundaryText')}
            </Typography>
            <Button variant="contained" onClick={() => window.location.reload()}>
              {t('errors.reload')}
            </Button>
          </Box>
        )}
      </Translation>
    );
  }
}
