import { useState } from 'react';
import { ConfirmDialog } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import type { Selection } from './selection.ts';
import { accountStrings, type AccountStringKey } from './strings.ts';
import type { AccountView } from './types.ts';
import { useBulkRun, type BulkAction, type BulkRun } from './use-bulk.ts';

const ACTION_LABEL: Record<BulkAction, AccountStringKey> = {
  enable: 'bulkEnable',
  disable: 'bulkDisable',
  refresh: 'bulkRefresh',
  delete: 'bulkDelete',
};

function RunReport({ run, onDismiss }: { run: BulkRun; onDismiss: () => void }) {
  const t = useStrings(accountStrings);
  const tc = useStrings(common);
  const action = t(ACTION_LABEL[run.action]);
  if (run.running) {
    return (
      <div role="status" className="flex items-center gap-2 text-sm" data-testid="bulk-progress">
        <span className="loading loading-spinner loading-xs" />
        {t('bulkRunning', { action, done: run.done, total: run.total })}
        <progress className="progress progress-primary w-32" value={run.done} max={run.total} />
      </div>
    );
  }
  const failed = run.failures.length > 0;
  return (
    <div
      role="status"
      className={`alert alert-soft text-sm ${failed ? 'alert-warning' : 'alert-success'}`}
      data-testid="bulk-report"
    >
      <div>
        <div>{t('bulkDone', { action, ok: run.total - run.failures.length, total: run.total })}</div>
        {failed && (
          <>
            <div className="mt-1 font-semibold">{t('bulkFailures', { n: run.failures.length })}</div>
            <ul className="list-inside list-disc">
              {run.failures.map((failure) => (
                <li key={failure.email}>
                  {failure.email}: {failure.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <button type="button" className="btn btn-sm btn-ghost" onClick={onDismiss}>
        {tc('close')}
      </button>
    </div>
  );
}

/** Select all (of the shown accounts) and act on the selection, with progress and a failure summary. */
export function BulkBar({ selection, accounts }: { selection: Selection; accounts: AccountView[] }) {
  const t = useStrings(accountStrings);
  const { run, start, dismiss } = useBulkRun();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const selected = accounts.filter((account) => selection.has(account.id));
  const busy = run?.running ?? false;
  const go = (action: BulkAction) => {
    void start(action, selected).then(() => {
      if (action === 'delete') selection.clear();
    });
  };
  return (
    <div className="mb-3 flex flex-col gap-2" data-testid="bulk-bar">
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex cursor-pointer items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="checkbox checkbox-sm"
            checked={selection.allSelected}
            ref={(box) => {
              if (box) box.indeterminate = selection.someSelected && !selection.allSelected;
            }}
            onChange={() => selection.toggleAll()}
          />
          {t('selectAll')}
        </label>
        {selection.someSelected && (
          <>
            <span className="badge badge-neutral" data-testid="selected-count">
              {t('selected', { n: selected.length })}
            </span>
            {(['enable', 'disable', 'refresh'] as const).map((action) => (
              <button
                key={action}
                type="button"
                className="btn btn-sm"
                disabled={busy}
                onClick={() => go(action)}
              >
                {t(ACTION_LABEL[action])}
              </button>
            ))}
            <button
              type="button"
              className="btn btn-sm btn-error btn-soft"
              disabled={busy}
              onClick={() => setConfirmDelete(true)}
            >
              {t('bulkDelete')}
            </button>
            <button type="button" className="btn btn-sm btn-ghost" disabled={busy} onClick={selection.clear}>
              {t('clearSelection')}
            </button>
          </>
        )}
      </div>
      {run && <RunReport run={run} onDismiss={dismiss} />}
      <ConfirmDialog
        open={confirmDelete}
        title={t('bulkDeleteTitle', { n: selected.length })}
        body={t('bulkDeleteBody', { n: selected.length })}
        confirmLabel={t('bulkDeleteConfirm', { n: selected.length })}
        onConfirm={() => {
          setConfirmDelete(false);
          go('delete');
        }}
        onCancel={() => setConfirmDelete(false)}
      />
    </div>
  );
}
