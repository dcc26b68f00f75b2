import { Box, Button, Checkbox, Divider, FormControlLabel, Popover, Typography } from '@mui/material';
import TuneOutlinedIcon from '@mui/icons-material/TuneOutlined';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DetectionIcon, useTypeLabel } from './DetectionIcon';
import { DETECTION_TYPES, type DetectionKind } from './filters';

/** The detection filter (client guide §2.4): every type is selected by default. */
export function DetectionFilter({ types, onApply }: { types: DetectionKind[]; onApply: (t: DetectionKind[]) => void }) {
  const { t } = useTranslation();
  const label = useTypeLabel();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [draft, setDraft] = useState<DetectionKind[]>(types);
  const all = types.length === DETECTION_TYPES.length;

  const toggle = (k: DetectionKind) =>
    setDraft((cur) => (cur.includes(k) ? cur.filter((x) => x !== k) : DETECTION_TYPES.filter((x) => x === k || cur.includes(x))));

  return (
    <>
      <Button
        variant="outlined"
        color={all ? 'inherit' : 'primary'}
        startIcon={<TuneOutlinedIcon />}
        onClick={(e) => {
          setDraft(types);
          setAnchor(e.currentTarget);
        }}
        data-testid="detections-button"
        aria-haspopup="dialog"
        sx={{ textTransform: 'none', fontWeight: 600, borderColor: all ? 'divider' : undefined, minHeight: 40, whiteSpace: 'nowrap' }}
      >
        {all ? t('recordings.filter.detections') : t('recordings.filter.detectionsCount', { n: types.length, total: DETECTION_TYPES.length })}
      </Button>
      <Popover
        open={!!anchor}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
        slotProps={{ paper: { sx: { p: 2, mt: 0.5, width: 280 }, role: 'dialog', 'aria-label': t('recordings.filter.detections'), 'data-testid': 'detections-popover' } as object }}
      >
        <Typography variant="subtitle2" sx={{ mb: 1 }}>
          {t('recordings.filter.detections')}
        </Typography>
        <Box sx={{ display: 'flex', gap: 1, mb: 1 }}>
          <Button size="small" onClick={() => setDraft([...DETECTION_TYPES])} data-testid="detections-all">
            {t('recordings.filter.selectAll')}
          </Button>
          <Button size="small" color="inherit" onClick={() => setDraft([])} data-testid="detections-none">
            {t('recordings.filter.clearAll')}
          </Button>
        </Box>
        <Divider />
        <Box sx={{ display: 'flex', flexDirection: 'column', py: 1 }}>
          {DETECTION_TYPES.map((k) => (
            <FormControlLabel
              key={k}
              control={<Checkbox checked={draft.includes(k)} onChange={() => toggle(k)} slotProps={{ input: { 'data-testid': `detection-${k}` } as object }} />}
              label={
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                  <DetectionIcon type={k} />
                  {label(k)}
                </Box>
              }
            />
          ))}
        </Box>
        {draft.length === 0 && (
          <Typography variant="caption" color="error" component="p" sx={{ mb: 1 }}>
            {t('recordings.filter.noneSelected')}
          </Typography>
        )}
        <Button
          fullWidth
          variant="contained"
          disabled={draft.length === 0}
          data-testid="detections-apply"
          onClick={() => {
            setAnchor(null);
            onApply(draft);
          }}
        >
          {t('recordings.filter.apply')}
        </Button>
      </Popover>
    </>
  );
}
