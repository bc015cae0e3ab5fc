import { useState, type FormEvent } from 'react';
import { ConfirmDialog, ErrorAlert, Modal } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { useDeleteAccount, usePatchAccount, useRefreshAccount, useSetCurrent } from './queries.ts';
import { accountStrings } from './strings.ts';
import type { AccountView } from './types.ts';

function LabelDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const t = useStrings(accountStrings);
  const tc = useStrings(common);
  const [label, setLabel] = useState(account.label ?? '');
  const save = usePatchAccount();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: account.id, changes: { label: label.trim() || null } }, { onSuccess: () => onClose() });
  };
  return (
    <Modal open onClose={onClose} title={t('labelTitle', { email: account.email })}>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <label className="floating-label">
          <span>{t('labelField')}</span>
          <input
            className="input w-full"
            maxLength={100}
            autoFocus
            placeholder={t('labelField')}
            value={label}
            onChange={(event) => setLabel(event.target.value)}
          />
        </label>
        <p className="text-xs opacity-70">{t('labelHint')}</p>
        {save.error && <ErrorAlert error={save.error} />}
        <div className="modal-action mt-0">
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending && <span className="loading loading-spinner loading-xs" />}
            {tc('save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteDialog({ account, onClose }: { account: AccountView; onClose: () => void }) {
  const t = useStrings(accountStrings);
  const remove = useDeleteAccount();
  return (
    <ConfirmDialog
      open
      title={t('deleteTitle')}
      body={t('deleteBody', { email: account.email })}
      confirmLabel={t('delete')}
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(account.id, { onSuccess: () => onClose() })}
      onCancel={onClose}
    />
  );
}

/** The actions on one account; each shows its own progress, and the last failure is said in words. */
export function AccountActions({ account }: { account: AccountView }) {
  const t = useStrings(accountStrings);
  const toggle = usePatchAccount();
  const refresh = useRefreshAccount();
  const setCurrent = useSetCurrent();
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'label' | 'delete' | null>(null);
  const handlers = { onSuccess: () => setError(null), onError: (failure: unknown) => setError(failure) };
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex flex-wrap gap-1">
        <button
          type="button"
          className="btn btn-xs"
          disabled={toggle.isPending}
          onClick={() => toggle.mutate({ id: account.id, changes: { enabled: !account.enabled } }, handlers)}
        >
          {toggle.isPending && <span className="loading loading-spinner loading-xs" />}
          {account.enabled ? t('disable') : t('enable')}
        </button>
        <button
          type="button"
          className="btn btn-xs"
          disabled={refresh.isPending}
          aria-busy={refresh.isPending}
          data-testid="refresh-account"
          onClick={() => refresh.mutate(account.id, handlers)}
        >
          {refresh.isPending && <span className="loading loading-spinner loading-xs" />}
          {refresh.isPending ? t('refreshing') : t('refresh')}
        </button>
        {!account.isCurrent && (
          <button
            type="button"
            className="btn btn-xs"
            disabled={setCurrent.isPending}
            onClick={() => setCurrent.mutate(account.id, handlers)}
          >
            {setCurrent.isPending && <span className="loading loading-spinner loading-xs" />}
            {t('setCurrent')}
          </button>
        )}
        <button type="button" className="btn btn-xs" onClick={() => setDialog('label')}>
          {t('editLabel')}
        </button>
        <button type="button" className="btn btn-xs btn-error btn-soft" onClick={() => setDialog('delete')}>
          {t('delete')}
        </button>
      </div>
      {error !== null && <ErrorAlert error={error} />}
      {dialog === 'label' && <LabelDialog account={account} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && <DeleteDialog account={account} onClose={() => setDialog(null)} />}
    </div>
  );
}
