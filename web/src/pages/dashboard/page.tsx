import { useNow } from '../../components/time.ts';
import { ErrorAlert, Loading, PageHeader } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { FamilyQuotaPanel } from './family-quota.tsx';
import { PoolHealth } from './pool-health.tsx';
import { ProxyCard } from './proxy-card.tsx';
import { useAccountList } from './queries.ts';
import { dashboardStrings } from './strings.ts';
import { Traffic } from './traffic.tsx';

/** The pool, its quota, the traffic and the proxy at a glance (product.md §6). */
export function DashboardPage() {
  const t = useStrings(dashboardStrings);
  const accounts = useAccountList();
  // Cooldowns end on their own: a check every 5 s moves an account from cooling back to active.
  const now = useNow(5_000);
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title={t('title')} />
      {accounts.isPending ? (
        <Loading />
      ) : accounts.error ? (
        <ErrorAlert error={accounts.error} onRetry={() => void accounts.refetch()} />
      ) : (
        <>
          <PoolHealth accounts={accounts.data} now={now} />
          {accounts.data.length > 0 && <FamilyQuotaPanel accounts={accounts.data} now={now} />}
        </>
      )}
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Traffic />
        <ProxyCard />
      </div>
    </div>
  );
}
