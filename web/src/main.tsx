import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import App from './App';
import { NotifierProvider } from './components/Notifier';
import { ThemeRoot } from './components/ThemeRoot';
import './i18n';
import { SessionProvider } from './session';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <ThemeRoot>
          <NotifierProvider>
            <App />
          </NotifierProvider>
        </ThemeRoot>
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
