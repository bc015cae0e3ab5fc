import { useId } from 'react';
import { useStrings } from '../../i18n/i18n.tsx';
import type { ProxySettings } from './api.ts';
import { NumberField, OverriddenNote, SettingsCard, ToggleField } from './fields.tsx';
import { numberOf, numberProblems, patchOf } from './section-utils.ts';
import { useSettingsDraft } from './settings-draft.ts';
import { settingsStrings } from './strings-settings.ts';

interface SectionProps {
  settings: ProxySettings;
  overridden: ReadonlySet<string>;
}

/** `routing.background`: Claude Code's titles and summaries go to a cheap model (product.md §4). */
export function RoutingSection({
  settings,
  overridden,
  modelIds,
}: SectionProps & { modelIds: readonly string[] }) {
  const t = useStrings(settingsStrings);
  const form = useSettingsDraft({
    enabled: settings.routing.background.enabled,
    model: settings.routing.background.model,
  });
  const { draft } = form;
  const modelId = useId();
  const listId = useId();
  const modelOverridden = overridden.has('routing.background.model');
  const modelMissing = draft.model.trim() === '';
  const unknownModel = !modelMissing && modelIds.length > 0 && !modelIds.includes(draft.model.trim());

  return (
    <SettingsCard
      title={t('routingTitle')}
      description={t('routingBody')}
      canSave={!modelMissing}
      onSave={() =>
        form.save.mutate(
          patchOf(
            {
              'routing.background.enabled': draft.enabled,
              'routing.background.model': draft.model.trim(),
            },
            overridden,
          ),
        )
      }
      {...form.card}
      testId="routing-settings"
    >
      <ToggleField
        label={t('backgroundEnabled')}
        hint={t('backgroundEnabledHint')}
        checked={draft.enabled}
        onChange={(enabled) => form.setDraft({ ...draft, enabled })}
        overridden={overridden.has('routing.background.enabled')}
      />
      <div className="flex max-w-md flex-col gap-1">
        <label htmlFor={modelId} className="flex flex-wrap items-center gap-2 text-sm font-medium">
          {t('backgroundModel')}
          {modelOverridden && <OverriddenNote />}
        </label>
        <input
          id={modelId}
          className={`input w-full ${modelMissing ? 'input-error' : ''}`}
          list={listId}
          value={draft.model}
          readOnly={modelOverridden}
          aria-invalid={modelMissing}
          onChange={(event) => form.setDraft({ ...draft, model: event.target.value })}
        />
        <datalist id={listId}>
          {modelIds.map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
        {modelMissing && <span className="text-xs text-error">{t('problemModelRequired')}</span>}
        {unknownModel && <span className="text-xs text-warning">{t('modelNotOffered')}</span>}
        <span className="text-xs opacity-70">{t('backgroundModelHint')}</span>
      </div>
    </SettingsCard>
  );
}

/** `retry`: how many upstream attempts one client request may make, and in how long (product.md §3). */
export function RetrySection({ settings, overridden }: SectionProps) {
  const t = useStrings(settingsStrings);
  const auto = settings.retry.maxAttempts === 'auto';
  const form = useSettingsDraft({
    auto,
    maxAttempts: auto ? '5' : String(settings.retry.maxAttempts),
    budgetSeconds: String(settings.retry.budgetSeconds),
  });
  const { draft } = form;
  const problems = numberProblems({
    ...(draft.auto ? {} : { 'retry.maxAttempts': draft.maxAttempts }),
    'retry.budgetSeconds': draft.budgetSeconds,
  });
  const attemptsOverridden = overridden.has('retry.maxAttempts');

  return (
    <SettingsCard
      title={t('retryTitle')}
      description={t('retryBody')}
      canSave={Object.keys(problems).length === 0}
      onSave={() =>
        form.save.mutate(
          patchOf(
            {
              'retry.maxAttempts': draft.auto ? 'auto' : numberOf('retry.maxAttempts', draft.maxAttempts),
              'retry.budgetSeconds': numberOf('retry.budgetSeconds', draft.budgetSeconds),
            },
            overridden,
          ),
        )
      }
      {...form.card}
      testId="retry-settings"
    >
      <div className="grid gap-4 md:grid-cols-3">
        <ToggleField
          label={t('attemptsAuto')}
          hint={t('attemptsAutoHint')}
          checked={draft.auto}
          onChange={(checked) => form.setDraft({ ...draft, auto: checked })}
          overridden={attemptsOverridden}
        />
        {!draft.auto && (
          <NumberField
            label={t('maxAttempts')}
            value={draft.maxAttempts}
            onChange={(maxAttempts) => form.setDraft({ ...draft, maxAttempts })}
            problem={problems['retry.maxAttempts']}
            overridden={attemptsOverridden}
          />
        )}
        <NumberField
          label={t('retryBudget')}
          hint={t('retryBudgetHint')}
          unit={t('unitSeconds')}
          value={draft.budgetSeconds}
          onChange={(budgetSeconds) => form.setDraft({ ...draft, budgetSeconds })}
          problem={problems['retry.budgetSeconds']}
          overridden={overridden.has('retry.budgetSeconds')}
        />
      </div>
    </SettingsCard>
  );
}
