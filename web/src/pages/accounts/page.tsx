import { useEffect, useMemo, useState } from 'react';
import { useSearch } from 'wouter';
import { useNow } from '../../components/time.ts';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { AccountGrid } from './account-grid.tsx';
import { AccountTable } from './account-table.tsx';
import { BulkBar } from './bulk-bar.tsx';
import { ExportButton } from './export-button.tsx';
import { EMPTY_FILTER, filterAccounts, filterFromSearch, tiersOf, type AccountFilter } from './filters.ts';
import { ImportDialog } from './import-dialog.tsx';
import { OAuthDialog } from './oauth-dialog.tsx';
import { useAccounts, useRefreshAll } from './queries.ts';
import { useSelection } from './selection.ts';
import { accountStrings } from './strings.ts';
import { Toolbar } from './toolbar.tsx';
import { useViewMode } from './view-mode.ts';

type Dialog = 'oauth' | 'import' | null;

function RefreshAllReport({ refreshAll }: { refreshAll: ReturnType<typeof useRefreshAll> }) {
  const t = useStrings(accountStrings);
  if (refreshAll.error) return <ErrorAlert error={refreshAll.error} onRetry={() => refreshAll.mutate()} />;
  if (!refreshAll.data) return null;
  return (
    <div role="status" className="alert alert-success alert-soft text-sm">
      {t('refreshAllDone', { n: refreshAll.data.accounts.length })}
      <button type="button" className="btn btn-ghost btn-xs ml-auto" onClick={() => refreshAll.reset()}>
        ✕
      </button>
    </div>
  );
}

export function AccountsPage() {
  const t = useStrings(accountStrings);
  const accounts = useAccounts();
  const refreshAll = useRefreshAll();
  const [dialog, setDialog] = useState<Dialog>(null);
  const search = useSearch();
  const [filter, setFilter] = useState<AccountFilter>(() => filterFromSearch(search));
  // A link with ?state= (the Dashboard's pool health) sets the filter, also when the page is open.
  useEffect(() => setFilter(filterFromSearch(search)), [search]);
  const [view, setView] = useViewMode();
  // The "cooling" filter depends on the clock; a coarse tick keeps it true without re-rendering every second.
  const now = useNow(10_000);
  const all = useMemo(() => accounts.data ?? [], [accounts.data]);
  const shown = useMemo(() => filterAccounts(all, filter, now), [all, filter, now]);
  const shownIds = useMemo(() => shown.map((account) => account.id), [shown]);
  const selection = useSelection(shownIds);
  const openOAuth = () => setDialog('oauth');
  const openImport = () => setDialog('import');

  const addButtons = (
    <>
      <button type="button" className="btn btn-sm btn-primary" onClick={openOAuth}>
        {t('addAccount')}
      </button>
      <button type="button" className="btn btn-sm" onClick={openImport}>
        {t('import')}
      </button>
    </>
  );

  let body;
  if (accounts.isPending) body = <Loading />;
  else if (accounts.error)
    body = <ErrorAlert error={accounts.error} onRetry={() => void accounts.refetch()} />;
  else if (all.length === 0)
    body = (
      <EmptyState
        title={t('emptyTitle')}
        body={t('emptyBody')}
        action={<div className="flex flex-wrap justify-center gap-2">{addButtons}</div>}
      />
    );
  else
    body = (
      <>
        <Toolbar
          filter={filter}
          onFilter={setFilter}
          tiers={tiersOf(all)}
          view={view}
          onView={setView}
          shown={shown.length}
          total={all.length}
        />
        {shown.length === 0 ? (
          <EmptyState
            title={t('noMatchTitle')}
            body={t('noMatchBody')}
            action={
              <button type="button" className="btn btn-sm" onClick={() => setFilter(EMPTY_FILTER)}>
                {t('clearFilters')}
              </button>
            }
          />
        ) : (
          <>
            <BulkBar selection={selection} accounts={shown} />
            {view === 'table' ? (
              <AccountTable accounts={shown} selection={selection} onSignIn={openOAuth} />
            ) : (
              <AccountGrid accounts={shown} selection={selection} onSignIn={openOAuth} />
            )}
          </>
        )}
      </>
    );

  return (
    <div>
      <PageHeader
        title={t('title')}
        actions={
          <>
            {addButtons}
            <ExportButton accountCount={all.length} />
            <button
              type="button"
              className="btn btn-sm"
              disabled={refreshAll.isPending || all.length === 0}
              onClick={() => refreshAll.mutate()}
            >
              {refreshAll.isPending && <span className="loading loading-spinner loading-xs" />}
              {refreshAll.isPending ? t('refreshingAll') : t('refreshAll')}
            </button>
          </>
        }
      />
      <div className="mb-3 empty:hidden">
        <RefreshAllReport refreshAll={refreshAll} />
      </div>
      {body}
      {dialog === 'oauth' && <OAuthDialog onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
