import { duration } from '../../components/charts/format.ts';
import { useStrings } from '../../i18n/i18n.tsx';
import { logTime, statusTone, tokenCells, type KeyNamer } from './row-format.ts';
import { monitorStrings } from './strings.ts';
import type { LogRow } from './types.ts';

interface RowsProps {
  rows: LogRow[];
  keyName: KeyNamer;
  onOpen: (row: LogRow) => void;
}

function ModelCell({ row }: { row: LogRow }) {
  const t = useStrings(monitorStrings);
  const requested = row.requestedModel ?? '-';
  const mapped = row.mappedModel && row.mappedModel !== row.requestedModel ? row.mappedModel : null;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span>{requested}</span>
      {mapped && (
        <>
          <span aria-hidden="true">→</span>
          <span title={row.mappingRule ? t('ruleTitle', { rule: row.mappingRule }) : undefined}>
            {mapped}
          </span>
        </>
      )}
      {row.mappingRule && !mapped && (
        <span className="badge badge-ghost badge-xs" title={t('ruleTitle', { rule: row.mappingRule })}>
          {row.mappingRule}
        </span>
      )}
      {row.routed && (
        <span className="badge badge-info badge-xs" title={t('routedTitle')}>
          {t('routedMark')}
        </span>
      )}
    </span>
  );
}

/** The log as a table (wide screens); the first cell's button opens the row's detail. */
export function LogTable({ rows, keyName, onOpen }: RowsProps) {
  const t = useStrings(monitorStrings);
  return (
    <div className="overflow-x-auto rounded-box border border-base-300">
      <table className="table table-sm">
        <thead>
          <tr>
            <th>{t('colTime')}</th>
            <th>{t('colProtocol')}</th>
            <th>{t('colRoute')}</th>
            <th>{t('colKey')}</th>
            <th>{t('colModel')}</th>
            <th>{t('colAccount')}</th>
            <th className="text-right">{t('colAttempts')}</th>
            <th>{t('colStatus')}</th>
            <th className="text-right" title={t('latencyTitle')}>
              {t('colLatency')}
            </th>
            <th className="text-right" title={t('tokensTitle')}>
              {t('colTokens')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              className="cursor-pointer hover:bg-base-200"
              onClick={() => onOpen(row)}
              data-testid="log-row"
              data-log-id={row.id}
            >
              <td className="whitespace-nowrap">
                <button
                  type="button"
                  className="link link-hover font-mono text-xs"
                  aria-label={t('openDetail', { id: row.id })}
                  onClick={(event) => {
                    event.stopPropagation();
                    onOpen(row);
                  }}
                >
                  {logTime(row.createdAt)}
                </button>
              </td>
              <td>{row.protocol}</td>
              <td className="max-w-48 truncate font-mono text-xs" title={row.route}>
                {row.route}
              </td>
              <td className="max-w-32 truncate" data-testid="log-key">
                {keyName(row) ?? <span className="opacity-50">{t('noKey')}</span>}
              </td>
              <td className="text-xs">
                <ModelCell row={row} />
              </td>
              <td className="max-w-48 truncate" title={row.accountEmail}>
                {row.accountEmail ?? '-'}
              </td>
              <td className="text-right tabular-nums">{row.attempts.length}</td>
              <td>
                <span className={`badge badge-sm ${statusTone(row.status)}`} title={row.errorMessage}>
                  {row.status}
                </span>
                {row.stream && <span className="ml-1 text-xs opacity-60">{t('stream')}</span>}
              </td>
              <td className="text-right whitespace-nowrap tabular-nums">
                {duration(row.latencyMs)} / {duration(row.firstByteMs)}
              </td>
              <td className="text-right whitespace-nowrap font-mono text-xs">{tokenCells(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The log as cards (phones): the same fields, each card a button to its detail. */
export function LogCards({ rows, keyName, onOpen }: RowsProps) {
  const t = useStrings(monitorStrings);
  return (
    <ul className="flex flex-col gap-2">
      {rows.map((row) => (
        <li key={row.id} data-testid="log-row" data-log-id={row.id}>
          <button
            type="button"
            className="card w-full border border-base-300 bg-base-100 text-left hover:bg-base-200"
            aria-label={t('openDetail', { id: row.id })}
            onClick={() => onOpen(row)}
          >
            <div className="card-body gap-1 p-3 text-sm">
              <div className="flex items-center justify-between gap-2">
                <span className="font-mono text-xs">{logTime(row.createdAt)}</span>
                <span className={`badge badge-sm ${statusTone(row.status)}`}>{row.status}</span>
              </div>
              <div className="text-xs">
                <ModelCell row={row} />
              </div>
              <div className="flex flex-wrap gap-x-3 text-xs opacity-70">
                <span>{row.protocol}</span>
                <span className="truncate">{row.accountEmail ?? '-'}</span>
                <span>{keyName(row) ?? t('noKey')}</span>
              </div>
              <div className="flex flex-wrap gap-x-3 text-xs">
                <span>
                  {t('colAttempts')}: {row.attempts.length}
                </span>
                <span className="tabular-nums">
                  {duration(row.latencyMs)} / {duration(row.firstByteMs)}
                </span>
                <span className="font-mono" title={t('tokensTitle')}>
                  {tokenCells(row)}
                </span>
              </div>
            </div>
          </button>
        </li>
      ))}
    </ul>
  );
}
