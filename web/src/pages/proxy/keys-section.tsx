import { useId, useState, type FormEvent } from 'react';
import { ago, useNow } from '../../components/time.ts';
import { ConfirmDialog, CopyButton, EmptyState, ErrorAlert, Loading, Modal } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { useCreateKey, useProxyKeys, useRevokeKey, type ApiKeyRow, type CreatedKey } from './api.ts';
import { proxyStrings } from './strings.ts';

const LABEL_MAX = 100;

function KeyAccessNote({ activeKeys, fromEnvironment }: { activeKeys: number; fromEnvironment: number }) {
  const t = useStrings(proxyStrings);
  const open = activeKeys === 0 && fromEnvironment === 0;
  return (
    <div
      role="note"
      className={`alert alert-soft text-sm ${open ? 'alert-warning' : 'alert-info'}`}
      data-testid="keys-access-note"
    >
      <div>
        <div>{open ? t('keysOpenLoopback') : t('keysRequired')}</div>
        {fromEnvironment > 0 && <div>{t('keysFromEnvironment', { n: fromEnvironment })}</div>}
      </div>
    </div>
  );
}

/** The new key, shown once: only its hash is stored, so closing this dialog loses it. */
function NewKeyDialog({ created, onClose }: { created: CreatedKey | undefined; onClose: () => void }) {
  const t = useStrings(proxyStrings);
  const tc = useStrings(common);
  return (
    <Modal
      open={created !== undefined}
      onClose={onClose}
      title={t('newKeyTitle', { label: created?.label ?? '' })}
      actions={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          {t('newKeyDone')}
        </button>
      }
    >
      <div role="alert" className="alert alert-warning alert-soft mb-3 text-sm">
        {t('newKeyWarning')}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <code
          className="min-w-0 flex-1 rounded-box bg-base-200 px-3 py-2 text-sm break-all select-all"
          data-testid="new-api-key"
        >
          {created?.key}
        </code>
        {created && <CopyButton text={created.key} label={tc('copy')} className="btn-primary" />}
      </div>
      <p className="mt-3 text-sm opacity-70">{t('newKeySnippetsHint')}</p>
    </Modal>
  );
}

function KeyRow({ row, now, onRevoke }: { row: ApiKeyRow; now: number; onRevoke: (row: ApiKeyRow) => void }) {
  const t = useStrings(proxyStrings);
  const tc = useStrings(common);
  const revoked = row.revokedAt !== null;
  return (
    <tr className={revoked ? 'opacity-60' : ''} data-testid="api-key-row">
      <td className="font-medium break-all">{row.label}</td>
      <td>
        <code>{row.keyPrefix}…</code>
      </td>
      <td className="whitespace-nowrap" title={new Date(row.createdAt).toLocaleString()}>
        {ago(tc, row.createdAt, now)}
      </td>
      {/* The server does not record last use yet (always null); a dash claims less than "never". */}
      <td className="whitespace-nowrap">{row.lastUsedAt === null ? '—' : ago(tc, row.lastUsedAt, now)}</td>
      <td className="text-right">
        {revoked ? (
          <span className="badge badge-ghost whitespace-nowrap">{t('keyRevoked')}</span>
        ) : (
          <button
            type="button"
            className="btn btn-sm btn-outline btn-error"
            onClick={() => onRevoke(row)}
            aria-label={t('revokeKeyNamed', { label: row.label })}
          >
            {t('revoke')}
          </button>
        )}
      </td>
    </tr>
  );
}

export function KeysSection({ onCreated }: { onCreated: (key: string) => void }) {
  const t = useStrings(proxyStrings);
  const keys = useProxyKeys();
  const create = useCreateKey();
  const revoke = useRevokeKey();
  const now = useNow(30_000);
  const labelId = useId();
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<CreatedKey | undefined>();
  const [toRevoke, setToRevoke] = useState<ApiKeyRow | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = label.trim();
    if (trimmed === '' || create.isPending) return;
    create.mutate(trimmed, {
      onSuccess: (key) => {
        setLabel('');
        setCreated(key);
        onCreated(key.key);
      },
    });
  };

  const rows = keys.data?.keys ?? [];
  const activeKeys = rows.filter((row) => row.revokedAt === null).length;

  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby="proxy-keys-title">
      <div className="card-body gap-3 p-4 sm:p-6">
        <h2 id="proxy-keys-title" className="card-title">
          {t('keysTitle')}
        </h2>
        {keys.isPending && <Loading />}
        {keys.error && <ErrorAlert error={keys.error} onRetry={() => void keys.refetch()} />}
        {keys.data && (
          <>
            <KeyAccessNote activeKeys={activeKeys} fromEnvironment={keys.data.fromEnvironment} />
            {rows.length === 0 ? (
              <EmptyState title={t('keysEmptyTitle')} body={t('keysEmptyBody')} />
            ) : (
              <div className="overflow-x-auto">
                <table className="table table-sm" data-testid="api-keys-table">
                  <thead>
                    <tr>
                      <th>{t('keyLabel')}</th>
                      <th>{t('keyPrefix')}</th>
                      <th>{t('keyCreated')}</th>
                      <th>{t('keyLastUsed')}</th>
                      <th className="text-right">
                        <span className="sr-only">{t('keyActions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <KeyRow key={row.id} row={row} now={now} onRevoke={setToRevoke} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
          <label htmlFor={labelId} className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
            <span>{t('newKeyLabel')}</span>
            <input
              id={labelId}
              className="input w-full"
              value={label}
              maxLength={LABEL_MAX}
              placeholder={t('newKeyLabelPlaceholder')}
              onChange={(event) => setLabel(event.target.value)}
            />
          </label>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={create.isPending || label.trim() === ''}
          >
            {create.isPending && <span className="loading loading-spinner loading-xs" />}
            {t('createKey')}
          </button>
        </form>
        {create.error && <ErrorAlert error={create.error} />}
      </div>
      <NewKeyDialog created={created} onClose={() => setCreated(undefined)} />
      <ConfirmDialog
        open={toRevoke !== undefined}
        title={t('revokeTitle')}
        body={t('revokeBody', { label: toRevoke?.label ?? '' })}
        confirmLabel={t('revoke')}
        busy={revoke.isPending}
        error={revoke.error ?? undefined}
        onCancel={() => {
          setToRevoke(undefined);
          revoke.reset();
        }}
        onConfirm={() => {
          if (!toRevoke) return;
          revoke.mutate(toRevoke.id, { onSuccess: () => setToRevoke(undefined) });
        }}
      />
    </section>
  );
}
