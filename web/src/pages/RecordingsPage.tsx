import { Button, Paper } from '@mui/material';
import VideocamOffOutlinedIcon from '@mui/icons-material/VideocamOffOutlined';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { EmptyState } from '../components/EmptyState';
import { usePageTitle } from '../components/ShellContext';
import { useSession } from '../session';

/** Playback is built in a later issue; until then, the honest empty state. */
export default function RecordingsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  usePageTitle(t('recordings.title'));
  return (
    <Paper variant="outlined">
      <EmptyState
        testId="recordings-empty"
        icon={<VideocamOffOutlinedIcon />}
        title={t('recordings.emptyTitle')}
        text={t('recordings.emptyText')}
        action={
          can('sites.view') ? (
            <Button component={RouterLink} to="/sites" variant="contained" data-testid="recordings-go-sites">
              {t('recordings.goSites')}
            </Button>
          ) : undefined
        }
      />
    </Paper>
  );
}
