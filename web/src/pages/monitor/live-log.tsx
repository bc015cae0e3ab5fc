import { useCallback, useMemo, useState } from 'react';
import { EmptyState, ErrorAlert, Loading } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { useStats } from '../dashboard/queries.ts';
import { hasFilters, NO_FILTERS, type LogFilters } from './filters.ts';
import { LogActions } from './log-actions.tsx';
import { LogDetailDialog } from './log-detail.tsx';
import { LogFilterBar } from './log-filters.tsx';
import { LogCards, LogTable } from './log-table.tsx';
import { useKeyList } from './queries.ts';
import type { KeyNamer } from './row-format.ts';
import { monitorStrings } from './strings.ts';
import { useLiveLog } from './use-live-log.ts';
import { useWide } from './use-wide.ts';

/** Key ids to labels: dashboard keys from their list, keys from the settings by their id's prefix. */
function useKeyNamer(): KeyNamer {
  const t = useStrings(monitorStrings);
  const keys = useKeyList();
  const stats = useStats('7d');
  return useMemo(() => {
    const labels = new Map<string, string>();
    for (const row of stats.data?.byKey ?? []) if (row.keyId && row.label) labels.set(row.keyId, row.label);
    for (const key of keys.data?.keys ?? []) labels.set(key.id, key.label);
    return (row) => {
      if (row.keyId?.startsWith('env:')) return t('fromEnvironment');
      return (row.keyId && labels.get(row.keyId)) || row.clientKey || null;
    };
  }, [keys.data, stats.data, t]);
}

/** The live request log: filters, pause, the rows (table or cards), load older, detail, export and clear. */
export function LiveLog() {
  const t = useStrings(monitorStrings);
  const [filters, setFilters] = useState<LogFilters>(NO_FILTERS);
  const [openId, setOpenId] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const live = useLiveLog(filters);
  const keyName = useKeyNamer();
  const wide = useWide();
  const { pages } = live;
  const { reset } = live;
  const onCleared = useCallback(
    (deleted: number) => {
      reset();
      setNotice(t('cleared', { n: deleted }));
    },
    [reset, t],
  );

  return (
    <section className="flex flex-col gap-3" aria-label={t('viewLog')}>
      <LogFilterBar filters={filters} onChange={setFilters} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            className={`btn btn-sm ${live.paused ? 'btn-primary' : ''}`}
            aria-pressed={live.paused}
            onClick={() => live.setPaused(!live.paused)}
            data-testid="pause-live"
          >
            {live.paused ? t('resume') : t('pause')}
          </button>
          <span className="text-sm opacity-70" aria-live="polite" data-testid="live-state">
            {live.paused
              ? live.waiting > 0
                ? t('pausedWaiting', { n: live.waiting })
                : t('pausedNone')
              : t('liveHint')}
          </span>
        </div>
        <div className="flex flex-wrap gap-2">
          <LogActions filters={filters} onCleared={onCleared} />
        </div>
      </div>
      {notice && (
        <div role="status" className="alert alert-success alert-soft text-sm">
          {notice}
        </div>
      )}
      {pages.isPending ? (
        <Loading />
      ) : pages.error && !pages.data ? (
        <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} />
      ) : live.rows.length === 0 ? (
        hasFilters(filters) ? (
          <EmptyState title={t('emptyFilteredTitle')} body={t('emptyFilteredBody')} />
        ) : (
          <EmptyState title={t('emptyTitle')} body={t('emptyBody')} />
        )
      ) : (
        <>
          {wide ? (
            <LogTable rows={live.rows} keyName={keyName} onOpen={(row) => setOpenId(row.id)} />
          ) : (
            <LogCards rows={live.rows} keyName={keyName} onOpen={(row) => setOpenId(row.id)} />
          )}
          {pages.isFetchNextPageError && (
            <ErrorAlert error={pages.error} onRetry={() => void pages.fetchNextPage()} />
          )}
          <div className="flex justify-center">
            {pages.hasNextPage ? (
              <button
                type="button"
                className="btn btn-sm"
                disabled={pages.isFetchingNextPage}
                onClick={() => void pages.fetchNextPage()}
                data-testid="load-older"
              >
                {pages.isFetchingNextPage && <span className="loading loading-spinner loading-xs" />}
                {pages.isFetchingNextPage ? t('loadingOlder') : t('loadOlder')}
              </button>
            ) : (
              <span className="text-sm opacity-60">{t('noOlder')}</span>
            )}
          </div>
        </>
      )}
      <LogDetailDialog id={openId} keyName={keyName} onClose={() => setOpenId(null)} />
    </section>
  );
}
