import { useState, type FormEvent } from 'react';
import type { ConfigView } from '../../api/app-queries.ts';
import { ConfirmDialog, ErrorAlert } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { PASSWORD_MIN_LENGTH, passwordErrorText, useChangePassword } from './password-api.ts';
import { PasswordField } from './password-fields.tsx';
import { SettingsCard } from './settings-card.tsx';
import { settingsStrings } from './strings.ts';

type Done = 'passwordSetDone' | 'passwordChangedDone' | 'passwordRemovedDone';

/**
 * Set (no password yet) or change (current + new + repeat) the admin password. Problems with what was
 * typed are shown once the form is submitted, not while typing.
 */
function PasswordForm({ hasPassword, onDone }: { hasPassword: boolean; onDone: (done: Done) => void }) {
  const t = useStrings(settingsStrings);
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const problems = {
    current: hasPassword && !current ? t('currentRequired') : undefined,
    next: next.length < PASSWORD_MIN_LENGTH ? t('passwordTooShort', { min: PASSWORD_MIN_LENGTH }) : undefined,
    repeat: repeat !== next ? t('passwordMismatch') : undefined,
  };
  const valid = !problems.current && !problems.next && !problems.repeat;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!valid || change.isPending) return;
    change.mutate(
      { ...(hasPassword ? { currentPassword: current } : {}), newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          setSubmitted(false);
          onDone(hasPassword ? 'passwordChangedDone' : 'passwordSetDone');
        },
      },
    );
  };
  const shown = (problem: string | undefined) => (submitted ? problem : undefined);

  return (
    <form className="flex flex-col gap-1" onSubmit={submit} noValidate data-testid="password-form">
      {hasPassword && (
        <PasswordField
          id="settings-current-password"
          label={t('currentPassword')}
          value={current}
          autoComplete="current-password"
          invalid={shown(problems.current)}
          onChange={setCurrent}
        />
      )}
      <PasswordField
        id="settings-new-password"
        label={t('newPassword')}
        value={next}
        autoComplete="new-password"
        hint={t('passwordRules', { min: PASSWORD_MIN_LENGTH })}
        invalid={shown(problems.next)}
        onChange={setNext}
      />
      <PasswordField
        id="settings-repeat-password"
        label={t('repeatPassword')}
        value={repeat}
        autoComplete="new-password"
        invalid={shown(problems.repeat)}
        onChange={setRepeat}
      />
      {change.error && <ErrorAlert error={new Error(passwordErrorText(change.error, t))} />}
      <div className="mt-2">
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {change.isPending && <span className="loading loading-spinner loading-xs" />}
          {hasPassword
            ? change.isPending
              ? t('changingPassword')
              : t('changePassword')
            : change.isPending
              ? t('settingPassword')
              : t('setPassword')}
        </button>
      </div>
    </form>
  );
}

/** Removing the password is asked first, with the current password as the confirmation. */
function RemovePassword({ onDone }: { onDone: (done: Done) => void }) {
  const t = useStrings(settingsStrings);
  const change = useChangePassword();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState('');
  const [tried, setTried] = useState(false);
  const close = () => {
    setOpen(false);
    setCurrent('');
    setTried(false);
    change.reset();
  };
  return (
    <>
      <div>
        <button type="button" className="btn btn-outline btn-error" onClick={() => setOpen(true)}>
          {t('removePassword')}
        </button>
      </div>
      <ConfirmDialog
        open={open}
        title={t('removePasswordTitle')}
        confirmLabel={t('removePassword')}
        busy={change.isPending}
        error={change.error ? new Error(passwordErrorText(change.error, t)) : undefined}
        body={
          <>
            <p>{t('removePasswordBody')}</p>
            <PasswordField
              id="settings-remove-current-password"
              label={t('currentPassword')}
              value={current}
              autoComplete="current-password"
              invalid={tried && !current ? t('currentRequired') : undefined}
              onChange={setCurrent}
            />
          </>
        }
        onCancel={close}
        onConfirm={() => {
          setTried(true);
          if (!current) return;
          change.mutate(
            { currentPassword: current, newPassword: null },
            {
              onSuccess: () => {
                close();
                onDone('passwordRemovedDone');
              },
            },
          );
        }}
      />
    </>
  );
}

/** The admin password: read-only when the environment or the config file sets it. */
export function PasswordSection({ config }: { config: ConfigView }) {
  const t = useStrings(settingsStrings);
  const [done, setDone] = useState<Done | null>(null);
  // `adminPasswordSource` says where the password in force comes from; `overridden` covers a server
  // that does not report it.
  const fromConfig =
    config.settings.server.adminPasswordSource === 'config' ||
    config.overridden.includes('server.adminPassword');
  const hasPassword = config.settings.server.adminPasswordSet;
  return (
    <SettingsCard title={t('passwordTitle')} testId="settings-password">
      {fromConfig ? (
        <div role="note" className="alert alert-info alert-soft text-sm" data-testid="password-from-config">
          {t('passwordFromConfig')}
        </div>
      ) : (
        <>
          <p className="text-sm opacity-70">{hasPassword ? t('passwordIsSet') : t('passwordNone')}</p>
          {done && (
            <div role="status" className="alert alert-success alert-soft text-sm">
              {t(done)}
            </div>
          )}
          <PasswordForm key={String(hasPassword)} hasPassword={hasPassword} onDone={setDone} />
          {hasPassword && <RemovePassword onDone={setDone} />}
        </>
      )}
    </SettingsCard>
  );
}
