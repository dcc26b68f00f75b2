import { Alert, Box, Button, IconButton, LinearProgress, Paper, Step, StepButton, Stepper, Tooltip, Typography, useMediaQuery } from '@mui/material';
import { useTheme } from '@mui/material/styles';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, type Recorder, type RecorderStatus } from '../api';
import { RecorderStatusBadge } from '../components/RecorderStatusBadge';
import { usePageTitle } from '../components/ShellContext';
import { errorMessage } from '../errors';
import { useQuery } from '../hooks/useQuery';
import { useMe, useSession } from '../session';
import { AiStep } from './wizard/AiStep';
import { CamerasStep } from './wizard/CamerasStep';
import { ConnectionStep } from './wizard/ConnectionStep';
import { DetailsStep } from './wizard/DetailsStep';
import { DiskStep } from './wizard/DiskStep';

export const WIZARD_STEPS = ['details', 'disk', 'ai', 'cameras', 'connection'] as const;
const LAST = WIZARD_STEPS.length;

/** The step of `?step=N`, 1 to 5 (1 when missing or wrong). */
export function stepFromQuery(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= LAST ? n : 1;
}

/** The 5-step configuration of a recorder (client guide §3.1). The step lives in the URL (?step=N). */
export default function RecorderWizardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const step = stepFromQuery(params.get('step'));
  usePageTitle(t('wizard.title'));

  const orgId = me.org.id;
  const query = useQuery(() => api.getRecorder(orgId, id), [orgId, id]);
  const [saved, setRecorder] = useState<Recorder | null>(null);
  useEffect(() => {
    if (query.data) setRecorder(query.data);
  }, [query.data]);
  // Another recorder's data never shows while the next one loads.
  const recorder = saved?.id === id ? saved : null;
  // The health card of step 5 loads a newer status: the header badge follows it.
  const onStatus = useCallback(
    (status: RecorderStatus) => setRecorder((r) => (r && r.id === id && r.status !== status ? { ...r, status } : r)),
    [id],
  );
  const sites = useQuery(() => api.listSites(orgId, { limit: 500 }), [orgId], can('sites.view'));
  const siteList = useMemo(() => sites.data?.items ?? [], [sites.data]);

  const top = useRef<HTMLDivElement>(null);
  const go = (n: number) => {
    const next = new URLSearchParams(params);
    next.set('step', String(n));
    setParams(next);
    top.current?.scrollIntoView?.({ block: 'start' });
  };

  const back = (
    <Tooltip title={t('wizard.backToList')}>
      <IconButton aria-label={t('wizard.backToList')} onClick={() => navigate('/recorders')} data-testid="wizard-back-list">
        <ArrowBackIcon />
      </IconButton>
    </Tooltip>
  );

  if (query.error && !recorder) {
    return (
      <Box>
        {back}
        <Alert
          severity="error"
          sx={{ mt: 1 }}
          data-testid="wizard-load-error"
          action={
            <Button color="inherit" size="small" onClick={query.reload}>
              {t('common.retry')}
            </Button>
          }
        >
          {errorMessage(query.error, t)}
        </Alert>
      </Box>
    );
  }
  if (!recorder) return <LinearProgress aria-label={t('common.loading')} />;

  let content;
  switch (WIZARD_STEPS[step - 1]) {
    case 'details':
      content = <DetailsStep recorder={recorder} sites={siteList} canManage={can('recorders.manage')} onSaved={setRecorder} />;
      break;
    case 'disk':
      content = <DiskStep recorder={recorder} />;
      break;
    case 'ai':
      content = <AiStep orgId={recorder.org_id} onSkip={() => go(4)} />;
      break;
    case 'cameras':
      content = <CamerasStep recorder={recorder} canView={can('cameras.view')} canEdit={can('cameras.manage')} onSkip={() => go(5)} />;
      break;
    default:
      content = (
        <ConnectionStep
          recorder={recorder}
          canManage={can('recorders.manage')}
          timeZone={siteList.find((s) => s.id === recorder.site_id)?.timezone}
          onStatus={onStatus}
        />
      );
  }

  return (
    <Box data-testid="recorder-wizard" data-step={step} ref={top} sx={{ scrollMarginTop: 80 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 2, flexWrap: 'wrap' }}>
        {back}
        <Typography variant="h6" component="p" sx={{ fontWeight: 700 }} data-testid="wizard-recorder-name">
          {recorder.name}
        </Typography>
        <Typography color="text.secondary">
          {t(`recorder.manufacturer.${recorder.manufacturer}`, { defaultValue: recorder.manufacturer })} · {recorder.site_name}
        </Typography>
        <RecorderStatusBadge status={recorder.status} testId="wizard-status" />
      </Box>
      <Paper variant="outlined" sx={{ px: { xs: 1, sm: 3 }, py: 2.5, mb: 2.5, overflowX: 'auto' }}>
        <Stepper nonLinear activeStep={step - 1} alternativeLabel={wide} orientation="horizontal">
          {WIZARD_STEPS.map((key, i) => (
            <Step key={key} completed={false}>
              <StepButton
                onClick={() => go(i + 1)}
                data-testid={`wizard-step-${i + 1}`}
                aria-current={step === i + 1 ? 'step' : undefined}
                optional={
                  key === 'ai' && wide ? (
                    <Typography variant="caption" color="text.secondary">
                      {t('wizard.optional')}
                    </Typography>
                  ) : undefined
                }
              >
                {wide || step === i + 1 ? t(`wizard.steps.${key}`) : ''}
              </StepButton>
            </Step>
          ))}
        </Stepper>
      </Paper>
      <Paper variant="outlined" sx={{ p: { xs: 2, sm: 3 } }} data-testid={`wizard-panel-${step}`}>
        {content}
      </Paper>
      <Box sx={{ display: 'flex', justifyContent: 'space-between', mt: 2.5, gap: 2 }}>
        <Button variant="outlined" color="inherit" onClick={() => go(step - 1)} disabled={step === 1} data-testid="wizard-back">
          {t('common.back')}
        </Button>
        {step < LAST ? (
          <Button variant="contained" onClick={() => go(step + 1)} data-testid="wizard-next">
            {t('common.next')}
          </Button>
        ) : (
          <Button variant="contained" onClick={() => navigate('/recorders')} data-testid="wizard-finish">
            {t('common.finish')}
          </Button>
        )}
      </Box>
    </Box>
  );
}
