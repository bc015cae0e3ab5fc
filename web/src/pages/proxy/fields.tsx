import { useId, type ReactNode } from 'react';
import { ErrorAlert } from '../../components/ui.tsx';
import { useStrings, type Translate } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import type { NumberProblem } from './limits.ts';
import { settingsStrings, type SettingsKey } from './strings-settings.ts';

export function problemText(t: Translate<SettingsKey>, problem: NumberProblem): string {
  switch (problem.kind) {
    case 'required':
      return t('problemRequired');
    case 'notNumber':
      return t('problemNotNumber');
    case 'notInteger':
      return t('problemNotInteger');
    case 'range':
      return t('problemRange', { min: problem.min, max: problem.max });
  }
}

/** A setting set by a flag, environment variable or config file: a PUT cannot change it. */
export function OverriddenNote() {
  const t = useStrings(settingsStrings);
  return <span className="badge badge-soft badge-info badge-sm">{t('overridden')}</span>;
}

export function NumberField({
  label,
  hint,
  unit,
  value,
  onChange,
  problem,
  overridden,
  testId,
}: {
  label: string;
  hint?: string;
  unit?: string;
  value: string;
  onChange: (value: string) => void;
  problem: NumberProblem | undefined;
  overridden: boolean;
  testId?: string;
}) {
  const t = useStrings(settingsStrings);
  const id = useId();
  const describedBy = `${id}-hint ${id}-problem`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="flex flex-wrap items-center gap-2 text-sm font-medium">
        {label}
        {overridden && <OverriddenNote />}
      </label>
      <div className="join">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          className={`input join-item w-full ${problem ? 'input-error' : ''}`}
          value={value}
          readOnly={overridden}
          aria-invalid={problem !== undefined}
          aria-describedby={describedBy}
          data-testid={testId}
          onChange={(event) => onChange(event.target.value)}
        />
        {unit && <span className="join-item flex items-center bg-base-200 px-3 text-sm">{unit}</span>}
      </div>
      <span id={`${id}-problem`} className="text-xs text-error" role={problem ? 'alert' : undefined}>
        {problem ? problemText(t, problem) : ''}
      </span>
      {hint && (
        <span id={`${id}-hint`} className="text-xs opacity-70">
          {hint}
        </span>
      )}
    </div>
  );
}

export function ToggleField({
  label,
  hint,
  checked,
  onChange,
  overridden,
  testId,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  overridden: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="flex cursor-pointer flex-wrap items-center gap-3 text-sm font-medium">
        <input
          id={id}
          type="checkbox"
          className="toggle toggle-primary"
          checked={checked}
          disabled={overridden}
          aria-describedby={hint ? `${id}-hint` : undefined}
          data-testid={testId}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
        {overridden && <OverriddenNote />}
      </label>
      {hint && (
        <span id={`${id}-hint`} className="text-xs opacity-70">
          {hint}
        </span>
      )}
    </div>
  );
}

/**
 * One settings section: its fields, a Save button with progress and "Saved", the unsaved-changes
 * state, and the server's refusal in words.
 */
export function SettingsCard({
  title,
  description,
  dirty,
  saving,
  saved,
  canSave,
  error,
  onSave,
  onDiscard,
  testId,
  children,
}: {
  title: string;
  description?: string;
  dirty: boolean;
  saving: boolean;
  saved: boolean;
  canSave: boolean;
  error: unknown;
  onSave: () => void;
  onDiscard: () => void;
  testId: string;
  children: ReactNode;
}) {
  const t = useStrings(settingsStrings);
  const tc = useStrings(common);
  const titleId = useId();
  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby={titleId} data-testid={testId}>
      <form
        className="card-body gap-4 p-4 sm:p-6"
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty && canSave && !saving) onSave();
        }}
      >
        <div>
          <h2 id={titleId} className="card-title">
            {title}
          </h2>
          {description && <p className="mt-1 text-sm opacity-70">{description}</p>}
        </div>
        {children}
        {error !== null && error !== undefined && <ErrorAlert error={error} />}
        <div className="flex flex-wrap items-center justify-end gap-2">
          <span className="mr-auto text-sm" aria-live="polite" data-testid={`${testId}-state`}>
            {saving ? (
              <span className="opacity-70">{t('saving')}</span>
            ) : dirty ? (
              <span className="badge badge-warning badge-soft">{t('unsaved')}</span>
            ) : saved ? (
              <span className="text-success">{tc('saved')}</span>
            ) : null}
          </span>
          {dirty && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={onDiscard} disabled={saving}>
              {t('discard')}
            </button>
          )}
          <button type="submit" className="btn btn-primary btn-sm" disabled={!dirty || !canSave || saving}>
            {saving && <span className="loading loading-spinner loading-xs" />}
            {tc('save')}
          </button>
        </div>
      </form>
    </section>
  );
}
