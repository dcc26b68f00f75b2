import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { Language } from '../api';
import { LANGUAGES } from '../i18n';

/** FR / EN switch (login pages and preferences). */
export function LanguageSwitch({
  value,
  onChange,
  testIdPrefix = 'lang',
  long = false,
}: {
  value: Language;
  onChange: (lang: Language) => void;
  testIdPrefix?: string;
  long?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <ToggleButtonGroup
      exclusive
      size="small"
      value={value}
      aria-label={t('lang.label')}
      onChange={(_, v: Language | null) => v && onChange(v)}
    >
      {LANGUAGES.map((l) => (
        <ToggleButton key={l} value={l} data-testid={`${testIdPrefix}-${l}`} aria-label={t(`lang.${l}`)} lang={l}>
          {long ? t(`lang.${l}`) : l.toUpperCase()}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
