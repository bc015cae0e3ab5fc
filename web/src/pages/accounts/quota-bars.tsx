import { ago, countdown, useNow } from '../../components/time.ts';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { GROUP_ABOVE, groupByFamily, type FamilyGroup, type ModelFamily } from './model-families.ts';
import { accountStrings, type AccountStringKey } from './strings.ts';
import type { AccountView, ModelQuotaView } from './types.ts';

const FAMILY_LABEL: Record<ModelFamily, AccountStringKey> = {
  geminiPro: 'familyGeminiPro',
  geminiFlash: 'familyGeminiFlash',
  claude: 'familyClaude',
  image: 'familyImage',
  other: 'familyOther',
};

function fillColor(percent: number): string {
  if (percent > 50) return 'bg-success';
  if (percent > 20) return 'bg-warning';
  return 'bg-error';
}

function StaleMark() {
  const t = useStrings(accountStrings);
  return (
    <span
      className="badge badge-xs badge-warning badge-soft"
      title={t('staleTitle')}
      data-testid="stale-mark"
    >
      {t('stale')}
    </span>
  );
}

/**
 * One model's remaining quota. An unknown figure is an empty grey track that says "unknown":
 * drawing it full would tell the user the account can serve when nobody knows that.
 */
export function QuotaBar({ quota, now }: { quota: ModelQuotaView; now: number }) {
  const t = useStrings(accountStrings);
  const tc = useStrings(common);
  const name = quota.displayName ?? quota.model;
  const known = quota.status === 'known';
  return (
    <div className="min-w-0" data-testid="quota-bar" data-status={quota.status} data-model={quota.model}>
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="truncate font-medium" title={quota.model}>
          {name}
        </span>
        <span
          className={`shrink-0 tabular-nums ${known ? '' : 'opacity-60'}`}
          title={known ? undefined : t('unknownTitle')}
        >
          {known ? t('percentLeft', { n: quota.percent }) : t('unknown')}
        </span>
      </div>
      <div
        className={`mt-0.5 h-1.5 w-full overflow-hidden rounded-full ${known ? 'bg-base-300' : 'border border-dashed border-base-content/30 bg-base-200'}`}
        role="meter"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? quota.percent : undefined}
        aria-valuetext={known ? t('percentLeft', { n: quota.percent }) : t('unknown')}
      >
        {known && (
          <div className={`h-full ${fillColor(quota.percent)}`} style={{ width: `${quota.percent}%` }} />
        )}
      </div>
      <div className="mt-0.5 flex flex-wrap items-center gap-x-2 text-[11px] opacity-70">
        {known && (
          <span data-testid="quota-reset">
            {quota.resetAt ? t('resets', { when: countdown(tc, quota.resetAt, now) }) : t('noReset')}
          </span>
        )}
        <span data-testid="quota-age">{ago(tc, quota.fetchedAt, now)}</span>
        {quota.stale && <StaleMark />}
      </div>
    </div>
  );
}

function FamilySection({ group, now }: { group: FamilyGroup; now: number }) {
  const t = useStrings(accountStrings);
  // A family of one model has nothing to fold away.
  if (group.models.length === 1)
    return (
      <div className="rounded-box border border-base-300 px-2 py-1">
        <QuotaBar quota={group.models[0]!} now={now} />
      </div>
    );
  const summary =
    group.lowestPercent === null
      ? t('familySummaryUnknown', { n: group.models.length })
      : t('familySummary', { n: group.models.length, lowest: group.lowestPercent });
  return (
    <details className="group rounded-box border border-base-300 px-2 py-1" data-testid="quota-family">
      <summary className="flex cursor-pointer items-center justify-between gap-2 text-xs">
        <span className="font-semibold">{t(FAMILY_LABEL[group.family])}</span>
        <span className="flex items-center gap-2 opacity-80">
          {group.lowestPercent !== null && (
            <span
              className="inline-block h-1.5 w-12 overflow-hidden rounded-full bg-base-300"
              aria-hidden="true"
            >
              <span
                className={`block h-full ${fillColor(group.lowestPercent)}`}
                style={{ width: `${group.lowestPercent}%` }}
              />
            </span>
          )}
          {summary}
        </span>
      </summary>
      <div className="mt-1 grid gap-1.5 pb-1">
        {group.models.map((quota) => (
          <QuotaBar key={quota.model} quota={quota} now={now} />
        ))}
      </div>
    </details>
  );
}

/** Windowed quota buckets (5 h, weekly) some tiers report besides the per-model figures. */
function Buckets({ account }: { account: AccountView }) {
  const t = useStrings(accountStrings);
  const buckets = account.quota.buckets.filter((bucket) => bucket.remainingFraction !== null);
  if (buckets.length === 0) return null;
  return (
    <div className="text-[11px] opacity-80">
      <span className="font-semibold">{t('bucketsTitle')} </span>
      {buckets
        .map(
          (bucket) =>
            `${bucket.group ?? bucket.id} ${bucket.window ?? ''} ${Math.floor((bucket.remainingFraction ?? 0) * 100)}%`,
        )
        .join(' · ')}
    </div>
  );
}

/** An account's quota: per model, by family when there are many, with the age of the figures. */
export function AccountQuota({ account }: { account: AccountView }) {
  const t = useStrings(accountStrings);
  const tc = useStrings(common);
  const now = useNow();
  const { quota } = account;
  return (
    <div className="flex min-w-56 flex-col gap-1.5" data-testid="account-quota">
      <div className="flex flex-wrap items-center gap-2 text-[11px] opacity-70">
        {quota.fetchedAt ? t('quotaFetched', { when: ago(tc, quota.fetchedAt, now) }) : t('quotaNever')}
        {quota.fetchedAt && quota.stale && <StaleMark />}
      </div>
      {quota.error && (
        <div className="text-xs text-error" role="status">
          {t('quotaError', { reason: quota.error })}
        </div>
      )}
      {quota.fetchedAt && quota.models.length === 0 && (
        <div className="text-xs opacity-70">{t('quotaNone')}</div>
      )}
      {quota.models.length > GROUP_ABOVE ? (
        groupByFamily(quota.models).map((group) => (
          <FamilySection key={group.family} group={group} now={now} />
        ))
      ) : (
        <div className="grid gap-1.5">
          {quota.models.map((model) => (
            <QuotaBar key={model.model} quota={model} now={now} />
          ))}
        </div>
      )}
      <Buckets account={account} />
    </div>
  );
}
