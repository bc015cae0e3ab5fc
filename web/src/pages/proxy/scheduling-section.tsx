import { useId } from 'react';
import { useStrings } from '../../i18n/i18n.tsx';
import { SCHEDULING_MODES, type ProxySettings, type SchedulingMode } from './api.ts';
import { NumberField, OverriddenNote, SettingsCard, ToggleField } from './fields.tsx';
import { numberOf, numberProblems, patchOf } from './section-utils.ts';
import { useSettingsDraft } from './settings-draft.ts';
import { settingsStrings } from './strings-settings.ts';

interface SchedulingDraft {
  mode: SchedulingMode;
  maxWaitSeconds: string;
  stickyTtlSeconds: string;
  stickyMaxEntries: string;
  protectionEnabled: boolean;
  thresholdPercent: string;
}

function draftOf(settings: ProxySettings): SchedulingDraft {
  return {
    mode: settings.scheduling.mode,
    maxWaitSeconds: String(settings.scheduling.maxWaitSeconds),
    stickyTtlSeconds: String(settings.scheduling.stickyTtlSeconds),
    stickyMaxEntries: String(settings.scheduling.stickyMaxEntries),
    protectionEnabled: settings.quotaProtection.enabled,
    thresholdPercent: String(settings.quotaProtection.thresholdPercent),
  };
}

/** Scheduling mode, stickiness and quota protection: how the pool picks an account (product.md §2). */
export function SchedulingSection({
  settings,
  overridden,
}: {
  settings: ProxySettings;
  overridden: ReadonlySet<string>;
}) {
  const t = useStrings(settingsStrings);
  const form = useSettingsDraft(draftOf(settings));
  const { draft } = form;
  const set = (change: Partial<SchedulingDraft>) => form.setDraft({ ...draft, ...change });
  const groupId = useId();
  const problems = numberProblems({
    'scheduling.maxWaitSeconds': draft.maxWaitSeconds,
    'scheduling.stickyTtlSeconds': draft.stickyTtlSeconds,
    'scheduling.stickyMaxEntries': draft.stickyMaxEntries,
    'quotaProtection.thresholdPercent': draft.thresholdPercent,
  });
  const valid = Object.keys(problems).length === 0;
  const modeOverridden = overridden.has('scheduling.mode');

  const save = () =>
    form.save.mutate(
      patchOf(
        {
          'scheduling.mode': draft.mode,
          'scheduling.maxWaitSeconds': numberOf('scheduling.maxWaitSeconds', draft.maxWaitSeconds),
          'scheduling.stickyTtlSeconds': numberOf('scheduling.stickyTtlSeconds', draft.stickyTtlSeconds),
          'scheduling.stickyMaxEntries': numberOf('scheduling.stickyMaxEntries', draft.stickyMaxEntries),
          'quotaProtection.enabled': draft.protectionEnabled,
          'quotaProtection.thresholdPercent': numberOf(
            'quotaProtection.thresholdPercent',
            draft.thresholdPercent,
          ),
        },
        overridden,
      ),
    );

  return (
    <SettingsCard
      title={t('schedulingTitle')}
      description={t('schedulingBody')}
      canSave={valid}
      onSave={save}
      {...form.card}
      testId="scheduling-settings"
    >
      <fieldset>
        <legend className="mb-2 flex items-center gap-2 text-sm font-medium">
          {t('schedulingMode')}
          {modeOverridden && <OverriddenNote />}
        </legend>
        <div className="grid gap-2 md:grid-cols-2">
          {SCHEDULING_MODES.map((mode) => (
            <label
              key={mode}
              className={`flex cursor-pointer gap-3 rounded-box border p-3 ${
                draft.mode === mode ? 'border-primary bg-primary/5' : 'border-base-300'
              }`}
            >
              <input
                type="radio"
                name={`${groupId}-mode`}
                className="radio radio-primary radio-sm mt-0.5"
                value={mode}
                checked={draft.mode === mode}
                disabled={modeOverridden}
                onChange={() => set({ mode })}
                data-testid={`scheduling-mode-${mode}`}
              />
              <span>
                <span className="block font-medium">
                  {t(`mode_${mode}`)} <code className="text-xs opacity-60">{mode}</code>
                </span>
                <span className="block text-xs opacity-70">{t(`modeHint_${mode}`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 md:grid-cols-3">
        <NumberField
          label={t('stickyTtl')}
          hint={t('stickyTtlHint')}
          unit={t('unitSeconds')}
          value={draft.stickyTtlSeconds}
          onChange={(stickyTtlSeconds) => set({ stickyTtlSeconds })}
          problem={problems['scheduling.stickyTtlSeconds']}
          overridden={overridden.has('scheduling.stickyTtlSeconds')}
        />
        <NumberField
          label={t('maxWait')}
          hint={t('maxWaitHint')}
          unit={t('unitSeconds')}
          value={draft.maxWaitSeconds}
          onChange={(maxWaitSeconds) => set({ maxWaitSeconds })}
          problem={problems['scheduling.maxWaitSeconds']}
          overridden={overridden.has('scheduling.maxWaitSeconds')}
          testId="max-wait-seconds"
        />
        <NumberField
          label={t('stickyMaxEntries')}
          hint={t('stickyMaxEntriesHint')}
          value={draft.stickyMaxEntries}
          onChange={(stickyMaxEntries) => set({ stickyMaxEntries })}
          problem={problems['scheduling.stickyMaxEntries']}
          overridden={overridden.has('scheduling.stickyMaxEntries')}
        />
      </div>
      <div className="grid gap-4 md:grid-cols-3">
        <ToggleField
          label={t('quotaProtection')}
          hint={t('quotaProtectionHint')}
          checked={draft.protectionEnabled}
          onChange={(protectionEnabled) => set({ protectionEnabled })}
          overridden={overridden.has('quotaProtection.enabled')}
        />
        <NumberField
          label={t('quotaThreshold')}
          hint={t('quotaThresholdHint')}
          unit="%"
          value={draft.thresholdPercent}
          onChange={(thresholdPercent) => set({ thresholdPercent })}
          problem={problems['quotaProtection.thresholdPercent']}
          overridden={overridden.has('quotaProtection.thresholdPercent')}
        />
      </div>
    </SettingsCard>
  );
}
