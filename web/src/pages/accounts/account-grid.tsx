import { useStrings } from '../../i18n/i18n.tsx';
import { AccountIdentity, LastUsed } from './account-identity.tsx';
import { AccountNotices } from './account-notices.tsx';
import type { AccountListProps } from './account-table.tsx';
import { StateBadge, TierBadge } from './badges.tsx';
import { CooldownList } from './cooldowns.tsx';
import { activeCooldowns } from './filters.ts';
import { AccountQuota } from './quota-bars.tsx';
import { AccountActions } from './row-actions.tsx';
import { accountStrings } from './strings.ts';

/** The card view: one card per account, one column on a phone. */
export function AccountGrid({ accounts, selection, onSignIn }: AccountListProps) {
  const t = useStrings(accountStrings);
  const now = Date.now();
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="account-grid">
      {accounts.map((account) => (
        <li
          key={account.id}
          className="card card-sm border border-base-300 bg-base-100"
          data-testid="account-row"
          data-account-id={account.id}
        >
          <div className="card-body gap-2">
            <div className="flex items-start gap-2">
              <input
                type="checkbox"
                className="checkbox checkbox-sm mt-0.5"
                aria-label={t('selectAccount', { email: account.email })}
                checked={selection.has(account.id)}
                onChange={() => selection.toggle(account.id)}
              />
              <AccountIdentity account={account} />
            </div>
            <div className="flex flex-wrap items-center gap-1.5">
              <TierBadge tier={account.tier} tierName={account.tierName} />
              <StateBadge state={account.state} cooling={activeCooldowns(account, now).length > 0} />
              <span className="ml-auto text-xs opacity-70">
                {t('lastUsedLabel')} <LastUsed at={account.lastUsedAt} />
              </span>
            </div>
            <AccountNotices account={account} onSignIn={onSignIn} />
            <CooldownList account={account} />
            <AccountQuota account={account} />
            <AccountActions account={account} />
          </div>
        </li>
      ))}
    </ul>
  );
}
