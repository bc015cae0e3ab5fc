import type { ConfigView } from '../../api/app-queries.ts';
import { useLanguage, useStrings, type Language } from '../../i18n/i18n.tsx';
import { useTheme, type Theme } from '../../theme.tsx';
import { OverriddenNote, SaveStatus, useSaveSettings } from './save-settings.tsx';
import { SettingsCard } from './settings-card.tsx';
import { settingsStrings } from './strings.ts';

type Key = keyof (typeof settingsStrings)['en'];

/**
 * Radio inputs styled as a joined row of buttons: arrow keys move between them and the screen reader
 * hears one group, which a row of plain buttons would not give.
 */
function ChoiceGroup<V extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  return (
    <fieldset className="fieldset">
      <legend className="fieldset-legend">{legend}</legend>
      <div className="join flex-wrap">
        {options.map((option) => (
          <input
            key={option.value}
            type="radio"
            name={name}
            value={option.value}
            className="join-item btn btn-sm sm:btn-md"
            aria-label={option.label}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
        ))}
      </div>
    </fieldset>
  );
}

const LANGUAGE_OPTIONS: readonly { value: Language; key: Key }[] = [
  { value: 'en', key: 'languageEn' },
  { value: 'zh-CN', key: 'languageZh' },
];
const THEME_OPTIONS: readonly { value: Theme; key: Key }[] = [
  { value: 'light', key: 'themeLight' },
  { value: 'dark', key: 'themeDark' },
  { value: 'system', key: 'themeSystem' },
];

/** Language and theme: switched in this browser at once (no reload), then saved on the server. */
export function AppearanceSection({ config }: { config: ConfigView }) {
  const t = useStrings(settingsStrings);
  const { language, setLanguage } = useLanguage();
  const { theme, setTheme } = useTheme();
  const save = useSaveSettings();
  const overridden = config.overridden.includes('ui.language') || config.overridden.includes('ui.theme');
  return (
    <SettingsCard title={t('appearanceTitle')} body={t('appearanceBody')} testId="settings-appearance">
      <ChoiceGroup
        legend={t('language')}
        name="language"
        value={language}
        options={LANGUAGE_OPTIONS.map((option) => ({ value: option.value, label: t(option.key) }))}
        onChange={(next) => {
          setLanguage(next);
          save.mutate({ ui: { language: next } });
        }}
      />
      <ChoiceGroup
        legend={t('theme')}
        name="theme"
        value={theme}
        options={THEME_OPTIONS.map((option) => ({ value: option.value, label: t(option.key) }))}
        onChange={(next) => {
          setTheme(next);
          save.mutate({ ui: { theme: next } });
        }}
      />
      <p className="text-sm opacity-70">{t('themeSystemHint')}</p>
      <OverriddenNote show={overridden} />
      <SaveStatus save={save} />
    </SettingsCard>
  );
}
