import { useEffect, useState } from 'react';
import { useStrings } from '../../i18n/i18n.tsx';
import { useAccountList, useStats } from '../dashboard/queries.ts';
import { hasFilters, NO_FILTERS, STATUS_FILTERS, type LogFilters } from './filters.ts';
import { useKeyList } from './queries.ts';
import { monitorStrings } from './strings.ts';
import { PROTOCOLS } from './types.ts';

interface Option {
  value: string;
  label: string;
}

function FilterSelect({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  testId: string;
}) {
  const t = useStrings(monitorStrings);
  // A value chosen earlier stays selectable even when it left the lists (a revoked key, a removed account).
  const all =
    value && !options.some((option) => option.value === value)
      ? [...options, { value, label: value }]
      : options;
  return (
    <label className="flex min-w-0 flex-col gap-1 text-xs">
      <span className="opacity-70">{label}</span>
      <select
        className="select select-sm w-full"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
      >
        <option value="">{t('filterAll')}</option>
        {all.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The filter bar: status class, model, account, protocol and key (filled from stats, accounts and keys), and a search. */
export function LogFilterBar({
  filters,
  onChange,
}: {
  filters: LogFilters;
  onChange: (filters: LogFilters) => void;
}) {
  const t = useStrings(monitorStrings);
  const stats = useStats('7d');
  const accounts = useAccountList();
  const keys = useKeyList();
  const [search, setSearch] = useState(filters.q);

  // Typing is not a query per key stroke: the search applies once the typing pauses.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q: search }), 300);
    return () => clearTimeout(timer);
  }, [search, filters, onChange]);
  useEffect(() => setSearch(filters.q), [filters.q]);

  const statusLabels = {
    '2xx': t('statusOk'),
    '4xx': t('status4xx'),
    '5xx': t('status5xx'),
    error: t('statusError'),
  };
  const models = (stats.data?.byModel ?? []).flatMap((row) =>
    row.model ? [{ value: row.model, label: row.model }] : [],
  );
  const accountOptions = (accounts.data ?? []).map((account) => ({
    value: account.id,
    label: account.email,
  }));
  const keyOptions = new Map<string, string>();
  for (const key of keys.data?.keys ?? []) keyOptions.set(key.id, key.label);
  for (const row of stats.data?.byKey ?? []) {
    if (row.keyId && !keyOptions.has(row.keyId)) keyOptions.set(row.keyId, row.label ?? row.key ?? row.keyId);
  }
  const set = (name: keyof LogFilters) => (value: string) => onChange({ ...filters, [name]: value });

  return (
    <div
      role="search"
      aria-label={t('filtersLabel')}
      className="grid grid-cols-2 gap-2 md:grid-cols-3 xl:grid-cols-7"
    >
      <FilterSelect
        label={t('filterStatus')}
        value={filters.status}
        options={STATUS_FILTERS.map((value) => ({ value, label: statusLabels[value] }))}
        onChange={set('status')}
        testId="filter-status"
      />
      <FilterSelect
        label={t('filterModel')}
        value={filters.model}
        options={models}
        onChange={set('model')}
        testId="filter-model"
      />
      <FilterSelect
        label={t('filterAccount')}
        value={filters.account}
        options={accountOptions}
        onChange={set('account')}
        testId="filter-account"
      />
      <FilterSelect
        label={t('filterProtocol')}
        value={filters.protocol}
        options={PROTOCOLS.map((value) => ({ value, label: value }))}
        onChange={set('protocol')}
        testId="filter-protocol"
      />
      <FilterSelect
        label={t('filterKey')}
        value={filters.key}
        options={[...keyOptions].map(([value, label]) => ({ value, label }))}
        onChange={set('key')}
        testId="filter-key"
      />
      <label className="col-span-2 flex min-w-0 flex-col gap-1 text-xs md:col-span-1 xl:col-span-2">
        <span className="opacity-70">{t('search')}</span>
        <div className="flex gap-2">
          <input
            type="search"
            className="input input-sm w-full"
            placeholder={t('searchPlaceholder')}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="filter-search"
          />
          {hasFilters(filters) && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange(NO_FILTERS)}>
              {t('clearFilters')}
            </button>
          )}
        </div>
      </label>
    </div>
  );
}
