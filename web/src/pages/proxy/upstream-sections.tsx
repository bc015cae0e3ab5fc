import { useId, useState } from 'react';
import { useStrings } from '../../i18n/i18n.tsx';
import { useSaveSettings, type ProxySettings } from './api.ts';
import { NumberField, OverriddenNote, SettingsCard } from './fields.tsx';
import { isHttpUrl } from './limits.ts';
import { numberOf, numberProblems, patchOf } from './section-utils.ts';
import { useSettingsDraft } from './settings-draft.ts';
import { settingsStrings } from './strings-settings.ts';

interface SectionProps {
  settings: ProxySettings;
  overridden: ReadonlySet<string>;
}

const TIMEOUT_KEYS = [
  'upstream.connectTimeoutSeconds',
  'upstream.firstByteTimeoutSeconds',
  'upstream.idleTimeoutSeconds',
] as const;

/** Upstream timeouts (product.md §3): a request never hangs without bound. */
export function TimeoutsSection({ settings, overridden }: SectionProps) {
  const t = useStrings(settingsStrings);
  const form = useSettingsDraft({
    'upstream.connectTimeoutSeconds': String(settings.upstream.connectTimeoutSeconds),
    'upstream.firstByteTimeoutSeconds': String(settings.upstream.firstByteTimeoutSeconds),
    'upstream.idleTimeoutSeconds': String(settings.upstream.idleTimeoutSeconds),
  });
  const { draft } = form;
  const problems = numberProblems(draft);
  const labels = {
    'upstream.connectTimeoutSeconds': [t('connectTimeout'), t('connectTimeoutHint')],
    'upstream.firstByteTimeoutSeconds': [t('firstByteTimeout'), t('firstByteTimeoutHint')],
    'upstream.idleTimeoutSeconds': [t('idleTimeout'), t('idleTimeoutHint')],
  } as const;

  return (
    <SettingsCard
      title={t('timeoutsTitle')}
      description={t('timeoutsBody')}
      canSave={Object.keys(problems).length === 0}
      onSave={() =>
        form.save.mutate(
          patchOf(
            Object.fromEntries(TIMEOUT_KEYS.map((key) => [key, numberOf(key, draft[key])])),
            overridden,
          ),
        )
      }
      {...form.card}
      testId="timeout-settings"
    >
      <div className="grid gap-4 md:grid-cols-3">
        {TIMEOUT_KEYS.map((key) => (
          <NumberField
            key={key}
            label={labels[key][0]}
            hint={labels[key][1]}
            unit={t('unitSeconds')}
            value={draft[key]}
            onChange={(value) => form.setDraft({ ...draft, [key]: value })}
            problem={problems[key]}
            overridden={overridden.has(key)}
          />
        ))}
      </div>
    </SettingsCard>
  );
}

/**
 * `upstream.httpProxy`. The server only ever shows it masked (password hidden), so the field starts
 * empty and a value is sent only when the user types a new one: the masked text is never saved back.
 * There is no "remove": PUT /api/config merges sections and refuses null, so a saved proxy can only
 * be replaced (reported as an admin API gap).
 */
export function HttpProxySection({ settings, overridden }: SectionProps) {
  const t = useStrings(settingsStrings);
  const current = settings.upstream.httpProxy;
  const isOverridden = overridden.has('upstream.httpProxy');
  const [value, setValue] = useState('');
  const save = useSaveSettings();
  const inputId = useId();
  const typed = value.trim();
  const invalid = typed !== '' && !isHttpUrl(typed);

  return (
    <SettingsCard
      title={t('httpProxyTitle')}
      description={t('httpProxyBody')}
      dirty={typed !== ''}
      saving={save.isPending}
      saved={save.isSuccess && typed === ''}
      canSave={!invalid && !isOverridden}
      error={save.error}
      onSave={() => save.mutate({ upstream: { httpProxy: typed } }, { onSuccess: () => setValue('') })}
      onDiscard={() => {
        setValue('');
        save.reset();
      }}
      testId="http-proxy-settings"
    >
      <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="http-proxy-current">
        <span className="font-medium">{t('httpProxyCurrent')}</span>
        {current ? <code className="break-all">{current}</code> : <span>{t('httpProxyNone')}</span>}
        {isOverridden && <OverriddenNote />}
      </div>
      {!isOverridden && (
        <div className="flex max-w-xl flex-col gap-1">
          <label htmlFor={inputId} className="text-sm font-medium">
            {current ? t('httpProxyReplace') : t('httpProxyNew')}
          </label>
          <input
            id={inputId}
            type="url"
            className={`input w-full ${invalid ? 'input-error' : ''}`}
            placeholder="http://user:password@proxy.example:3128"
            autoComplete="off"
            value={value}
            aria-invalid={invalid}
            onChange={(event) => setValue(event.target.value)}
          />
          {invalid && <span className="text-xs text-error">{t('problemUrl')}</span>}
          <span className="text-xs opacity-70">{t('httpProxyHint')}</span>
          {current && <span className="text-xs opacity-70">{t('httpProxyNoRemove')}</span>}
        </div>
      )}
    </SettingsCard>
  );
}
