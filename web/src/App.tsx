import { lazy, Suspense, type ReactNode } from 'react';
import { Box, LinearProgress } from '@mui/material';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppShell } from './components/AppShell';
import { ErrorBoundary } from './components/ErrorBoundary';
import { RequireAuth } from './components/RequireAuth';
import { firstPath, menuFor } from './menu';
import { useMe } from './session';
import LoginPage from './pages/LoginPage';
import ForgotPasswordPage from './pages/ForgotPasswordPage';
import SetPasswordPage from './pages/SetPasswordPage';
import NotFoundPage from './pages/NotFoundPage';

// The recordings page is where clients land: its chunk loads beside GET /me rather than after it,
// and once loaded it is handed to lazy() as an already-settled thenable, so that the page doesn't
// suspend (a suspended page also waits out React's 300 ms fallback throttle before it shows).
type RecordingsModule = typeof import('./pages/RecordingsPage');
const loadRecordings = () => import('./pages/RecordingsPage');
let recordingsModule: RecordingsModule | undefined;
const recordingsFirst =
  typeof location !== 'undefined' && (location.pathname === '/' || location.pathname.startsWith('/recordings'))
    ? loadRecordings().then((m) => (recordingsModule = m))
    : null;
const RecordingsPage = lazy(() =>
  recordingsModule
    ? ({ then: (ok: (m: RecordingsModule) => void) => ok(recordingsModule!) } as unknown as Promise<RecordingsModule>)
    : (recordingsFirst ?? loadRecordings()),
);
const SitesPage = lazy(() => import('./pages/SitesPage'));
const RecordersPage = lazy(() => import('./pages/RecordersPage'));
const RecorderWizardPage = lazy(() => import('./pages/RecorderWizardPage'));
const CamerasPage = lazy(() => import('./pages/CamerasPage'));
const HelpRecordersPage = lazy(() => import('./pages/HelpRecordersPage'));
const CustomersPage = lazy(() => import('./pages/CustomersPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const PreferencesPage = lazy(() => import('./pages/PreferencesPage'));
const ChangePasswordPage = lazy(() => import('./pages/ChangePasswordPage'));

function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <Box sx={{ pt: 1 }}>
          <LinearProgress />
        </Box>
      }
    >
      {children}
    </Suspense>
  );
}

/** "/" lands on the first page of the user's menu. */
function Home() {
  const me = useMe();
  return <Navigate to={firstPath(menuFor(me.org.kind, me.permissions))} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/set-password" element={<SetPasswordPage />} />
      {/* Signed in: inside the app shell; signed out: a plain page (installers open it from a link). */}
      <Route path="/help/recorders/:brand" element={<Lazy><HelpRecordersPage /></Lazy>} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        <Route path="recordings" element={<Lazy><RecordingsPage /></Lazy>} />
        <Route path="recorders" element={<Lazy><RecordersPage /></Lazy>} />
        <Route path="recorders/:id/configure" element={<Lazy><RecorderWizardPage /></Lazy>} />
        <Route path="cameras" element={<Lazy><CamerasPage /></Lazy>} />
        <Route path="sites" element={<Lazy><SitesPage /></Lazy>} />
        <Route path="customers" element={<Lazy><CustomersPage /></Lazy>} />
        <Route path="users" element={<Lazy><UsersPage /></Lazy>} />
        <Route path="preferences" element={<Lazy><PreferencesPage /></Lazy>} />
        <Route path="password" element={<Lazy><ChangePasswordPage /></Lazy>} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

export default function App() {
  return (
    <ErrorBoundary>
      <AppRoutes />
    </ErrorBoundary>
  );
}
