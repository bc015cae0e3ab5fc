import { useStrings } from '../../i18n/i18n.tsx';
import { ALL_TIERS, NO_TIER, STATE_FILTERS, type AccountFilter, type StateFilter } from './filters.ts';
import { accountStrings, type AccountStringKey } from './strings.ts';
import type { ViewMode } from './view-mode.ts';

const STATE_LABEL: Record<StateFilter, AccountStringKey> = {
  all: 'allStates',
  active: 'stateActive',
  disabled: 'stateDisabled',
  needs_login: 'stateNeedsLogin',
  forbidden: 'stateForbidden',
  cooling: 'stateCooling',
};

export interface ToolbarProps {
  filter: AccountFilter;
  onFilter: (filter: AccountFilter) => void;
  tiers: string[];
  view: ViewMode;
  onView: (view: ViewMode) => void;
  shown: number;
  total: number;
}

/** Search, state and tier filters, the view switch and how many accounts are shown. */
export function Toolbar({ filter, onFilter, tiers, view, onView, shown, total }: ToolbarProps) {
  const t = useStrings(accountStrings);
  return (
    <div className="mb-3 flex flex-wrap items-end gap-2">
      <label className="floating-label min-w-48 grow sm:grow-0">
        <span>{t('search')}</span>
        <input
          type="search"
          className="input input-sm w-full sm:w-64"
          placeholder={t('searchPlaceholder')}
          value={filter.search}
          onChange={(event) => onFilter({ ...filter, search: event.target.value })}
          data-testid="account-search"
        />
      </label>
      <label className="floating-label">
        <span>{t('filterState')}</span>
        <select
          className="select select-sm w-40"
          value={filter.state}
          onChange={(event) => onFilter({ ...filter, state: event.target.value as StateFilter })}
          data-testid="state-filter"
        >
          {STATE_FILTERS.map((state) => (
            <option key={state} value={state}>
              {t(STATE_LABEL[state])}
            </option>
          ))}
        </select>
      </label>
      <label className="floating-label">
        <span>{t('filterTier')}</span>
        <select
          className="select select-sm w-36"
          value={filter.tier}
          onChange={(event) => onFilter({ ...filter, tier: event.target.value })}
          data-testid="tier-filter"
        >
          <option value={ALL_TIERS}>{t('allTiers')}</option>
          {tiers.map((tier) => (
            <option key={tier} value={tier}>
              {tier === NO_TIER ? t('tierNone') : tier}
            </option>
          ))}
        </select>
      </label>
      <span className="text-sm opacity-70" role="status" data-testid="account-count">
        {t('count', { shown, total })}
      </span>
      <div className="join ml-auto" role="group" aria-label={t('view')}>
        {(['table', 'grid'] as const).map((mode) => (
          <button
            key={mode}
            type="button"
            className={`btn join-item btn-sm ${view === mode ? 'btn-active btn-primary' : ''}`}
            aria-pressed={view === mode}
            onClick={() => onView(mode)}
          >
            {mode === 'table' ? t('viewTable') : t('viewGrid')}
          </button>
        ))}
      </div>
    </div>
  );
}
