import { useStrings } from '../../i18n/i18n.tsx';
import { accountStrings, type AccountStringKey } from './strings.ts';
import type { AccountState } from './types.ts';

const STATE_STYLE: Record<AccountState, { className: string; key: AccountStringKey }> = {
  active: { className: 'badge-soft badge-success', key: 'stateActive' },
  // A soft neutral badge is nearly invisible on the dark theme; the outline reads on both.
  disabled: { className: 'badge-outline opacity-80', key: 'stateDisabled' },
  needs_login: { className: 'badge-soft badge-warning', key: 'stateNeedsLogin' },
  forbidden: { className: 'badge-soft badge-error', key: 'stateForbidden' },
};

export function StateBadge({ state, cooling }: { state: AccountState; cooling: boolean }) {
  const t = useStrings(accountStrings);
  const style = STATE_STYLE[state];
  return (
    <span className="inline-flex flex-wrap gap-1">
      <span
        className={`badge badge-sm whitespace-nowrap ${style.className}`}
        data-testid="state-badge"
        data-state={state}
      >
        {t(style.key)}
      </span>
      {cooling && (
        <span className="badge badge-sm badge-soft badge-info whitespace-nowrap" data-testid="cooling-badge">
          {t('stateCooling')}
        </span>
      )}
    </span>
  );
}

const TIER_STYLE: Record<string, string> = {
  free: 'badge-ghost',
  pro: 'badge-primary',
  ultra: 'badge-secondary',
};

/** The tier id in a badge; the plan's full name (e.g. "Google AI Pro") on hover. */
export function TierBadge({ tier, tierName }: { tier: string | null; tierName: string | null }) {
  const t = useStrings(accountStrings);
  if (!tier) return <span className="badge badge-sm badge-outline opacity-60">{t('tierNone')}</span>;
  return (
    <span
      className={`badge badge-sm badge-outline ${TIER_STYLE[tier] ?? ''}`}
      title={tierName ?? undefined}
      data-testid="tier-badge"
    >
      {tier}
    </span>
  );
}

export function CurrentMark() {
  const t = useStrings(accountStrings);
  return (
    <span
      className="badge badge-sm badge-accent whitespace-nowrap"
      title={t('currentTitle')}
      data-testid="current-mark"
    >
      ★ {t('current')}
    </span>
  );
}
