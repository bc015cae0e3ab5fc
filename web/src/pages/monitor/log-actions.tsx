import { useState } from 'react';
import { ConfirmDialog } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { filterQuery, type LogFilters } from './filters.ts';
import { useClearLogs } from './queries.ts';
import { monitorStrings } from './strings.ts';

/** Export the filtered log as CSV, and clear the whole log after asking. */
export function LogActions({
  filters,
  onCleared,
}: {
  filters: LogFilters;
  onCleared: (deleted: number) => void;
}) {
  const t = useStrings(monitorStrings);
  const clear = useClearLogs();
  const [asking, setAsking] = useState(false);
  const query = filterQuery(filters);
  return (
    <>
      <a
        className="btn btn-sm"
        href={`/api/logs.csv${query ? `?${query}` : ''}`}
        download
        data-testid="export-logs"
      >
        {t('exportCsv')}
      </a>
      <button
        type="button"
        className="btn btn-sm btn-error btn-outline"
        onClick={() => {
          clear.reset();
          setAsking(true);
        }}
        data-testid="clear-logs"
      >
        {t('clearLogs')}
      </button>
      <ConfirmDialog
        open={asking}
        title={t('clearTitle')}
        body={t('clearBody')}
        confirmLabel={t('clearConfirm')}
        busy={clear.isPending}
        error={clear.error}
        onCancel={() => setAsking(false)}
        onConfirm={() =>
          clear.mutate(undefined, {
            onSuccess: (answer) => {
              setAsking(false);
              onCleared(answer.deleted);
            },
          })
        }
      />
    </>
  );
}
