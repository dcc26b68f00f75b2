import { Alert, AlertTitle, Box, Checkbox, Chip, FormControlLabel, Paper, Stack, Switch, Typography } from '@mui/material';
import AutoAwesomeOutlinedIcon from '@mui/icons-material/AutoAwesomeOutlined';
import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AiStatus, Camera } from '../api';
import { aiBlock, algorithmIds, allowedPackages, nameIn, packageCount, toggleId, togglePackage } from '../ai';
import type { AiContext } from '../hooks/useAi';

/** The AI settings being edited. */
export interface AiDraft {
  ai: boolean;
  holo4: boolean;
  algorithms: string[];
}

export const aiDraftOf = (c: Pick<Camera, 'ai_enabled' | 'holo4' | 'algorithms'>): AiDraft => ({
  ai: c.ai_enabled,
  holo4: !!c.holo4 && c.ai_enabled,
  algorithms: c.algorithms ?? [],
});

function Info({ children, testId, color = 'text.secondary' }: { children: ReactNode; testId?: string; color?: string }) {
  return (
    <Typography variant="body2" color={color} data-testid={testId} sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.75, ml: 6.5, mt: -0.5 }}>
      <InfoOutlinedIcon sx={{ fontSize: 16, mt: '2px' }} />
      <span>{children}</span>
    </Typography>
  );
}

/** "AI unavailable" where AI settings are: the server runs no model (GET /ai/status). */
export function AiUnavailable({ status }: { status: AiStatus | undefined }) {
  const { t } = useTranslation();
  if (!status || status.available) return null;
  return (
    <Alert severity="warning" data-testid="ai-unavailable">
      <AlertTitle>{t('ai.unavailableTitle')}</AlertTitle>
      {status.reason} {status.install}
    </Alert>
  );
}

/**
 * A camera's AI (client guide §3.1.3, §3.1.4): the AI switch within the AI
 * subscription's camera limit, then "Rejoindre la bêta HOLO4" and the
 * algorithms of each package the subscription includes.
 */
export function CameraAiSettings({
  camera,
  value,
  onChange,
  ctx,
  disabled,
}: {
  camera: Pick<Camera, 'ai_enabled'>;
  value: AiDraft;
  onChange: (v: AiDraft) => void;
  ctx: AiContext;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const block = aiBlock(ctx.subscription, camera.ai_enabled);
  const sub = ctx.subscription;
  const packages = allowedPackages(ctx.catalogue, sub);
  const order = algorithmIds(ctx.catalogue?.packages ?? []);
  const set = (patch: Partial<AiDraft>) => onChange({ ...value, ...patch });

  let info: ReactNode = null;
  if (block === 'noSubscription') info = <Info testId="ai-blocked">{t('ai.noSubscription')}</Info>;
  else if (block === 'limit') info = <Info testId="ai-blocked">{t('ai.limitReached', { limit: sub?.camera_limit ?? 0 })}</Info>;
  else if (sub)
    info = (
      <Info testId="ai-usage">
        {value.ai ? `${t('ai.subscriptionOn')} — ` : ''}
        {t('ai.usage', { used: sub.cameras_used - (camera.ai_enabled ? 1 : 0) + (value.ai ? 1 : 0), limit: sub.camera_limit })}
      </Info>
    );
  else if (value.ai) info = <Info>{t('ai.subscriptionOn')}</Info>;

  return (
    <Stack spacing={1.5} data-testid="camera-ai-settings">
      <AiUnavailable status={ctx.status} />
      <Box>
        <FormControlLabel
          control={
            <Switch
              checked={value.ai}
              onChange={(e) => set({ ai: e.target.checked, holo4: e.target.checked && value.holo4 })}
              disabled={disabled || (!!block && !value.ai)}
              slotProps={{ input: { 'data-testid': 'camera-ai' } as object }}
            />
          }
          label={t('wizard.cameras.ai')}
          sx={{ '& .MuiFormControlLabel-label': { fontWeight: 600 } }}
        />
        {info}
      </Box>
      {value.ai && ctx.catalogue && (
        <Paper variant="outlined" sx={{ p: 1.5, borderColor: value.holo4 ? 'secondary.main' : 'divider' }} data-testid="holo4-section">
          <Typography sx={{ fontWeight: 700, display: 'flex', alignItems: 'center', gap: 1 }}>
            <AutoAwesomeOutlinedIcon fontSize="small" color="secondary" />
            {t('ai.holo4Title')}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
            {t('ai.holo4Text')}
          </Typography>
          <FormControlLabel
            control={
              <Switch
                checked={value.holo4}
                onChange={(e) => set({ holo4: e.target.checked })}
                disabled={disabled}
                color="secondary"
                slotProps={{ input: { 'data-testid': 'camera-holo4' } as object }}
              />
            }
            label={t('ai.holo4Join')}
          />
          {value.holo4 && (
            <Box data-testid="holo4-packages">
              {packages.length === 0 ? (
                <Alert severity="info">{t('ai.holo4NoPackage')}</Alert>
              ) : (
                <>
                  <Typography variant="body2" color="text.secondary" sx={{ my: 0.5 }}>
                    {t('ai.holo4Choose')}
                  </Typography>
                  {packages.map((p) => {
                    const n = packageCount(p, value.algorithms);
                    return (
                      <Box key={p.id} data-testid={`holo4-package-${p.id}`} sx={{ mt: 0.5 }}>
                        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
                          <FormControlLabel
                            control={
                              <Checkbox
                                checked={n.selected === n.total}
                                indeterminate={n.selected > 0 && n.selected < n.total}
                                onChange={() => set({ algorithms: togglePackage(value.algorithms, p, order) })}
                                disabled={disabled}
                                slotProps={{ input: { 'data-testid': `holo4-package-box-${p.id}` } as object }}
                              />
                            }
                            label={nameIn(p.names, i18n.language)}
                            sx={{ '& .MuiFormControlLabel-label': { fontWeight: 600 } }}
                          />
                          <Chip size="small" label={t('ai.count', n)} data-testid={`holo4-count-${p.id}`} />
                        </Box>
                        <Box sx={{ display: 'flex', flexDirection: 'column', pl: 4 }}>
                          {p.algorithms.map((a) => (
                            <FormControlLabel
                              key={a.id}
                              control={
                                <Checkbox
                                  size="small"
                                  checked={value.algorithms.includes(a.id)}
                                  onChange={() => set({ algorithms: toggleId(value.algorithms, a.id, order) })}
                                  disabled={disabled}
                                  slotProps={{ input: { 'data-testid': `holo4-algorithm-${a.id}` } as object }}
                                />
                              }
                              label={nameIn(a.names, i18n.language)}
                            />
                          ))}
                        </Box>
                      </Box>
                    );
                  })}
                  <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
                    {t('ai.moreToCome')}
                  </Typography>
                </>
              )}
            </Box>
          )}
        </Paper>
      )}
    </Stack>
  );
}
