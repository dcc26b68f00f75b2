import { Box, Button, Checkbox, Collapse, Divider, FormControlLabel, IconButton, InputAdornment, Paper, Popover, TextField, Typography } from '@mui/material';
import AutoAwesomeOutlinedIcon from '@mui/icons-material/AutoAwesomeOutlined';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import SearchIcon from '@mui/icons-material/Search';
import TuneOutlinedIcon from '@mui/icons-material/TuneOutlined';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { useSession } from '../../session';
import type { AiPackage } from '../../api';
import { algorithmIds, nameIn, packageCount, toggleId, togglePackage } from '../../ai';
import { DetectionIcon, useTypeLabel } from './DetectionIcon';
import { DETECTION_TYPES, typesParam, type DetectionKind } from './filters';

/** Case- and accent-insensitive "contains", for the filter's search box. */
export function matches(text: string, search: string): boolean {
  const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return norm(text).includes(norm(search.trim()));
}

/**
 * The detection filter (client guide §2.4, §2.5): the basic types, then —
 * once a camera of the site joined the HOLO4 beta — the HOLO4 packages with
 * their algorithms and counts like "1/2"; a search box, select all, remove
 * all and Apply. Without a camera in the beta, an invitation to join it.
 */
export function DetectionFilter({
  types,
  onApply,
  packages = [],
  joined = false,
}: {
  types: DetectionKind[];
  onApply: (t: DetectionKind[]) => void;
  /** HOLO4 packages to list (empty until a camera joined and the catalogue is in). */
  packages?: AiPackage[];
  /** A camera of the site is in the HOLO4 beta. */
  joined?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = useTypeLabel();
  const canJoin = useSession().can('cameras.manage');
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [draft, setDraft] = useState<DetectionKind[]>(types);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const algs = algorithmIds(packages);
  const order = [...DETECTION_TYPES, ...algs];
  const shown = [...DETECTION_TYPES, ...algs];
  const selected = shown.filter((k) => types.includes(k)).length;
  const all = typesParam(types) === undefined;

  const basic = DETECTION_TYPES.filter((k) => matches(label(k), search));
  const pkgs = packages
    .map((p) => {
      const hit = matches(nameIn(p.names, i18n.language), search);
      return { ...p, algorithms: hit ? p.algorithms : p.algorithms.filter((a) => matches(nameIn(a.names, i18n.language), search)) };
    })
    .filter((p) => p.algorithms.length > 0);

  return (
    <>
      <Button
        variant="outlined"
        color={all ? 'inherit' : 'primary'}
        startIcon={<TuneOutlinedIcon />}
        onClick={(e) => {
          setDraft(types);
          setSearch('');
          setAnchor(e.currentTarget);
        }}
        data-testid="detections-button"
        aria-haspopup="dialog"
        sx={{ textTransform: 'none', fontWeight: 600, borderColor: all ? 'divider' : undefined, minHeight: 40, whiteSpace: 'nowrap' }}
      >
        {all ? t('recordings.filter.detections') : t('recordings.filter.detectionsCount', { n: selected, total: shown.length })}
      </Button>
      <Popover
        open={!!anchor}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
        slotProps={{
          paper: { sx: { p: 2, mt: 0.5, width: 380, maxWidth: 'calc(100vw - 24px)' }, role: 'dialog', 'aria-label': t('recordings.filter.detections'), 'data-testid': 'detections-popover' } as object,
        }}
      >
        <Typography variant="subtitle2" sx={{ mb: 1 }}>
          {t('recordings.filter.detections')}
        </Typography>
        <TextField
          size="small"
          fullWidth
          placeholder={t('recordings.filter.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          slotProps={{
            htmlInput: { 'data-testid': 'detections-search', 'aria-label': t('recordings.filter.search') },
            input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
          }}
        />
        <Box sx={{ display: 'flex', gap: 1, my: 1, '& .MuiButton-root': { whiteSpace: 'nowrap' } }}>
          <Button size="small" onClick={() => setDraft([...shown])} data-testid="detections-all">
            {t('recordings.filter.selectAll')}
          </Button>
          <Button size="small" color="inherit" onClick={() => setDraft([])} data-testid="detections-none">
            {t('recordings.filter.clearAll')}
          </Button>
        </Box>
        <Divider />
        {/* The list scrolls above Apply, never under it: room after its last row, and a row brought
            into view (a click, the keyboard) stops short of the list's edges. */}
        <Box
          data-testid="detections-list"
          sx={{ display: 'flex', flexDirection: 'column', pt: 1, pb: 2, maxHeight: '50vh', overflowY: 'auto', scrollPaddingBlock: '16px' }}
        >
          {basic.map((k) => (
            <FormControlLabel
              key={k}
              control={
                <Checkbox checked={draft.includes(k)} onChange={() => setDraft((cur) => toggleId(cur, k, order))} slotProps={{ input: { 'data-testid': `detection-${k}` } as object }} />
              }
              label={
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                  <DetectionIcon type={k} />
                  {label(k)}
                </Box>
              }
            />
          ))}
          {pkgs.length > 0 && (
            <Typography variant="overline" color="text.secondary" sx={{ mt: 1, lineHeight: 2 }}>
              {t('recordings.filter.holo4')}
            </Typography>
          )}
          {pkgs.map((p) => {
            const full = packages.find((x) => x.id === p.id)!;
            const n = packageCount(full, draft);
            const expanded = open[p.id] || (search.trim() !== '' && p.algorithms.length < full.algorithms.length);
            return (
              <Box key={p.id} data-testid={`detection-package-${p.id}`}>
                <Box sx={{ display: 'flex', alignItems: 'center' }}>
                  <IconButton
                    size="small"
                    onClick={() => setOpen((o) => ({ ...o, [p.id]: !expanded }))}
                    aria-expanded={expanded}
                    aria-label={nameIn(p.names, i18n.language)}
                    data-testid={`detection-expand-${p.id}`}
                    sx={{ transform: expanded ? 'rotate(0deg)' : 'rotate(-90deg)', transition: 'transform .15s' }}
                  >
                    <ExpandMoreIcon fontSize="small" />
                  </IconButton>
                  <FormControlLabel
                    sx={{ flex: 1, mr: 0 }}
                    control={
                      <Checkbox
                        checked={n.selected === n.total}
                        indeterminate={n.selected > 0 && n.selected < n.total}
                        onChange={() => setDraft((cur) => togglePackage(cur, full, order))}
                        slotProps={{ input: { 'data-testid': `detection-package-box-${p.id}` } as object }}
                      />
                    }
                    label={nameIn(p.names, i18n.language)}
                  />
                  <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums', minWidth: 32, textAlign: 'right' }} data-testid={`detection-count-${p.id}`}>
                    {t('ai.count', n)}
                  </Typography>
                </Box>
                <Collapse in={expanded}>
                  <Box sx={{ display: 'flex', flexDirection: 'column', pl: 5 }}>
                    {p.algorithms.map((a) => (
                      <FormControlLabel
                        key={a.id}
                        control={
                          <Checkbox
                            size="small"
                            checked={draft.includes(a.id)}
                            onChange={() => setDraft((cur) => toggleId(cur, a.id, order))}
                            slotProps={{ input: { 'data-testid': `detection-${a.id}` } as object }}
                          />
                        }
                        label={
                          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                            <DetectionIcon type={a.id} />
                            <Typography variant="body2">{nameIn(a.names, i18n.language)}</Typography>
                          </Box>
                        }
                      />
                    ))}
                  </Box>
                </Collapse>
              </Box>
            );
          })}
        </Box>
        <Divider sx={{ mb: 1.5 }} />
        {draft.filter((k) => shown.includes(k)).length === 0 && (
          <Typography variant="caption" color="error" component="p" sx={{ mb: 1 }}>
            {t('recordings.filter.noneSelected')}
          </Typography>
        )}
        <Button
          fullWidth
          variant="contained"
          disabled={draft.filter((k) => shown.includes(k)).length === 0}
          data-testid="detections-apply"
          onClick={() => {
            setAnchor(null);
            onApply(draft.filter((k) => shown.includes(k)));
          }}
        >
          {t('recordings.filter.apply')}
        </Button>
        {!joined && (
          <Paper variant="outlined" sx={{ mt: 2, p: 1.5, bgcolor: 'action.hover', borderStyle: 'dashed' }} data-testid="holo4-invite">
            <Typography sx={{ fontWeight: 700, display: 'flex', alignItems: 'center', gap: 1 }}>
              <AutoAwesomeOutlinedIcon fontSize="small" color="secondary" />
              {t('ai.holo4Title')}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {t('ai.holo4Text')}
            </Typography>
            {canJoin && (
              <Button component={RouterLink} to="/cameras" size="small" color="secondary" sx={{ mt: 0.5, px: 0, textTransform: 'none', fontWeight: 600 }} data-testid="holo4-invite-cameras">
                {t('ai.holo4Where')}
              </Button>
            )}
          </Paper>
        )}
      </Popover>
    </>
  );
}
