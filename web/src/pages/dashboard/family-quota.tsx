import { useStrings } from '../../i18n/i18n.tsx';
import { familyQuotas, type BucketAverage, type FamilyQuota } from './families.ts';
import { dashboardStrings } from './strings.ts';
import type { DashboardAccount } from './types.ts';

const whole = (percent: number) => `${Math.round(percent)}%`;

function barTone(percent: number): string {
  if (percent < 20) return 'progress-error';
  if (percent < 50) return 'progress-warning';
  return 'progress-success';
}

function Bucket({ label, value }: { label: string; value: BucketAverage }) {
  const t = useStrings(dashboardStrings);
  return (
    <div className="flex justify-between gap-2 text-xs">
      <span className="opacity-70">{label}</span>
      <span className="tabular-nums">
        {t('bucketAccounts', { percent: whole(value.percent), n: value.accounts })}
      </span>
    </div>
  );
}

function FamilyCard({ quota }: { quota: FamilyQuota }) {
  const t = useStrings(dashboardStrings);
  const name = t(`family_${quota.family}`);
  return (
    <li
      className="flex flex-col gap-2 rounded-box border border-base-300 p-3"
      data-testid={`family-${quota.family}`}
    >
      <div className="flex items-baseline justify-between gap-2">
        <h3 className="font-semibold">{name}</h3>
        <span className="text-xl font-bold tabular-nums" data-testid={`family-${quota.family}-percent`}>
          {quota.averagePercent === null ? '-' : whole(quota.averagePercent)}
        </span>
      </div>
      {quota.averagePercent === null ? (
        <div className="text-sm opacity-70">{t('noFigure')}</div>
      ) : (
        <progress
          className={`progress w-full ${barTone(quota.averagePercent)}`}
          value={Math.round(quota.averagePercent)}
          max={100}
          aria-label={`${name}: ${whole(quota.averagePercent)}`}
        />
      )}
      <div className="flex flex-wrap gap-x-3 text-xs opacity-70">
        <span>{t('knownCount', { n: quota.known })}</span>
        {quota.unknown > 0 && (
          <span data-testid={`family-${quota.family}-unknown`}>
            {t('unknownCount', { n: quota.unknown })}
          </span>
        )}
      </div>
      {quota.fiveHour && <Bucket label={t('fiveHour')} value={quota.fiveHour} />}
      {quota.weekly && <Bucket label={t('weekly')} value={quota.weekly} />}
      <div className="mt-auto border-t border-base-300 pt-2 text-sm" data-testid={`best-${quota.family}`}>
        <div className="text-xs opacity-70">{t('bestAccount')}</div>
        {quota.best ? (
          <div className="flex items-baseline justify-between gap-2">
            <span className="truncate" title={quota.best.account.email}>
              {quota.best.account.label ?? quota.best.account.email}
            </span>
            <span className="font-semibold tabular-nums">{whole(quota.best.percent)}</span>
          </div>
        ) : (
          <div className="opacity-70">{t('bestNone')}</div>
        )}
      </div>
    </li>
  );
}

/** Remaining quota per model family (product.md §6) with the account to use next for each. */
export function FamilyQuotaPanel({ accounts, now }: { accounts: DashboardAccount[]; now: number }) {
  const t = useStrings(dashboardStrings);
  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby="quota-title">
      <div className="card-body gap-3 p-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="quota-title" className="card-title text-base">
            {t('quotaTitle')}
          </h2>
          <span className="text-xs opacity-70">{t('quotaNote')}</span>
        </div>
        <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
          {familyQuotas(accounts, now).map((quota) => (
            <FamilyCard key={quota.family} quota={quota} />
          ))}
        </ul>
      </div>
    </section>
  );
}
