import { useState } from 'react';
import type { ConfigView } from '../../api/app-queries.ts';
import { useStrings } from '../../i18n/i18n.tsx';
import { OverriddenNote, SaveStatus, useSaveSettings } from './save-settings.tsx';
import { SettingsCard } from './settings-card.tsx';
import { settingsStrings } from './strings.ts';

/** The bounds of src/config/schema.ts `refresh`; the server checks them again. */
export const INTERVAL_MAX_MINUTES = 24 * 60;
export const CONCURRENCY_MAX = 32;
/** Where the interval goes back to when automatic refresh is switched on again from 0. */
const DEFAULT_INTERVAL_MINUTES = 10;

interface RefreshSettings {
  quotaIntervalMinutes: number;
  concurrency: number;
}

interface Draft {
  auto: boolean;
  minutes: string;
  concurrency: string;
}

function draftOf(saved: RefreshSettings): Draft {
  return {
    auto: saved.quotaIntervalMinutes > 0,
    minutes: String(saved.quotaIntervalMinutes > 0 ? saved.quotaIntervalMinutes : DEFAULT_INTERVAL_MINUTES),
    concurrency: String(saved.concurrency),
  };
}

/** A whole number within [min, max], or undefined when the text is not one. */
function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

function NumberField({
  id,
  label,
  hint,
  value,
  min,
  max,
  disabled,
  invalid,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  min: number;
  max: number;
  disabled: boolean;
  invalid: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <div className="fieldset">
      <label htmlFor={id} className="fieldset-legend">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        className={`input w-40 ${invalid ? 'input-error' : ''}`}
        value={value}
        disabled={disabled}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-hint`} className={`label whitespace-normal ${invalid ? 'text-error' : ''}`}>
        {invalid ?? hint}
      </p>
    </div>
  );
}

/** Quota refresh interval (0 = only by hand) and how many accounts refresh at once. */
export function RefreshSection({ config }: { config: ConfigView }) {
  const t = useStrings(settingsStrings);
  const saved = config.settings.refresh as RefreshSettings;
  // Null while nothing is edited, so a change saved elsewhere (live event) shows up here too.
  const [edited, setEdited] = useState<Draft | null>(null);
  const draft = edited ?? draftOf(saved);
  const save = useSaveSettings();
  const intervalLocked = config.overridden.includes('refresh.quotaIntervalMinutes');
  const concurrencyLocked = config.overridden.includes('refresh.concurrency');

  const minutes = wholeNumber(draft.minutes, 1, INTERVAL_MAX_MINUTES);
  const concurrency = wholeNumber(draft.concurrency, 1, CONCURRENCY_MAX);
  const next = draft.auto ? minutes : 0;
  const valid = next !== undefined && concurrency !== undefined;
  const changed = valid && (next !== saved.quotaIntervalMinutes || concurrency !== saved.concurrency);
  const update = (patch: Partial<Draft>) => {
    save.reset();
    setEdited({ ...draft, ...patch });
  };

  return (
    <SettingsCard title={t('refreshTitle')} body={t('refreshBody')} testId="settings-refresh">
      <form
        className="flex flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid || !changed) return;
          save.mutate(
            { refresh: { quotaIntervalMinutes: next, concurrency } },
            { onSuccess: () => setEdited(null) },
          );
        }}
      >
        <label className="flex cursor-pointer items-center gap-3">
          <input
            type="checkbox"
            className="toggle toggle-primary"
            checked={draft.auto}
            disabled={intervalLocked}
            onChange={(event) => update({ auto: event.target.checked })}
          />
          <span>{t('autoRefresh')}</span>
        </label>
        {draft.auto ? (
          <NumberField
            id="settings-refresh-minutes"
            label={t('intervalMinutes')}
            hint={t('intervalHint', { max: INTERVAL_MAX_MINUTES })}
            value={draft.minutes}
            min={1}
            max={INTERVAL_MAX_MINUTES}
            disabled={intervalLocked}
            invalid={
              minutes === undefined ? t('outOfRange', { min: 1, max: INTERVAL_MAX_MINUTES }) : undefined
            }
            onChange={(value) => update({ minutes: value })}
          />
        ) : (
          <p className="text-sm opacity-70">{t('autoRefreshOff')}</p>
        )}
        <NumberField
          id="settings-refresh-concurrency"
          label={t('concurrency')}
          hint={t('concurrencyHint', { max: CONCURRENCY_MAX })}
          value={draft.concurrency}
          min={1}
          max={CONCURRENCY_MAX}
          disabled={concurrencyLocked}
          invalid={concurrency === undefined ? t('outOfRange', { min: 1, max: CONCURRENCY_MAX }) : undefined}
          onChange={(value) => update({ concurrency: value })}
        />
        <OverriddenNote show={intervalLocked || concurrencyLocked} />
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" className="btn btn-primary" disabled={!changed || save.isPending}>
            {save.isPending && <span className="loading loading-spinner loading-xs" />}
            {t('saveChanges')}
          </button>
          {edited && (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                save.reset();
                setEdited(null);
              }}
            >
              {t('discardChanges')}
            </button>
          )}
        </div>
        <SaveStatus save={save} />
      </form>
    </SettingsCard>
  );
}
