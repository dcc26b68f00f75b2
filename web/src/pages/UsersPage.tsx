import { Paper, Tab, Tabs } from '@mui/material';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router-dom';
import { usePageTitle } from '../components/ShellContext';
import { useSession } from '../session';
import { AuditTab } from './users/AuditTab';
import { RolesTab } from './users/RolesTab';
import { UsersTab } from './users/UsersTab';

type TabId = 'roles' | 'users' | 'audit';

const TAB_PERMISSION: Record<TabId, string> = {
  roles: 'roles.view',
  users: 'users.view',
  audit: 'audit.view',
};

/** Utilisateurs & Permissions: Rôles / Utilisateurs / Journal d'audit tabs. */
export default function UsersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  usePageTitle(t('users.title'));

  const tabs = (Object.keys(TAB_PERMISSION) as TabId[]).filter((id) => can(TAB_PERMISSION[id]));
  if (tabs.length === 0) return <Navigate to="/" replace />;
  const requested = params.get('tab') as TabId | null;
  const current: TabId = requested && tabs.includes(requested) ? requested : tabs[0];

  return (
    <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
      <Tabs
        value={current}
        onChange={(_, v: TabId) => setParams({ tab: v }, { replace: true })}
        variant="scrollable"
        allowScrollButtonsMobile
        sx={{ px: 2, borderBottom: 1, borderColor: 'divider' }}
      >
        {tabs.map((id) => (
          <Tab key={id} value={id} label={t(`users.tabs.${id}`)} data-testid={`tab-${id}`} />
        ))}
      </Tabs>
      {current === 'roles' && <RolesTab />}
      {current === 'users' && <UsersTab />}
      {current === 'audit' && <AuditTab />}
    </Paper>
  );
}
