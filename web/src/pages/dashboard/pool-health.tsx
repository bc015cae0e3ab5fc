import { Link } from 'wouter';
import { EmptyState } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { HEALTH_STATES, poolHealth, type HealthState } from './families.ts';
import { dashboardStrings } from './strings.ts';
import type { DashboardAccount } from './types.ts';

const TONE: Record<HealthState, string> = {
  active: 'text-success',
  cooling: 'text-warning',
  disabled: 'opacity-60',
  needs_login: 'text-error',
  forbidden: 'text-error',
};

/** Accounts by state, each a link to the Accounts page filtered to it (`/accounts?state=…`). */
export function PoolHealth({ accounts, now }: { accounts: DashboardAccount[]; now: number }) {
  const t = useStrings(dashboardStrings);
  const counts = poolHealth(accounts, now);
  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby="pool-title">
      <div className="card-body gap-3 p-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="pool-title" className="card-title text-base">
            {t('poolTitle')}
          </h2>
          <span className="text-sm opacity-70">{t('poolTotal', { n: accounts.length })}</span>
        </div>
        {accounts.length === 0 ? (
          <EmptyState
            title={t('poolEmptyTitle')}
            body={t('poolEmptyBody')}
            action={
              <Link href="/accounts" className="btn btn-primary btn-sm">
                {t('goToAccounts')}
              </Link>
            }
          />
        ) : (
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-5">
            {HEALTH_STATES.map((state) => (
              <li key={state}>
                <Link
                  href={`/accounts?state=${state}`}
                  className="flex flex-col rounded-box border border-base-300 p-3 hover:bg-base-200 focus-visible:outline-2 focus-visible:outline-primary"
                  data-testid={`pool-${state}`}
                  aria-label={`${t(`state_${state}`)}: ${counts[state]}. ${t('showAccounts')}`}
                >
                  <span className={`text-2xl font-bold tabular-nums ${TONE[state]}`}>{counts[state]}</span>
                  <span className="text-sm">{t(`state_${state}`)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
