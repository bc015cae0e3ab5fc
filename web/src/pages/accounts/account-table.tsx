import { useStrings } from '../../i18n/i18n.tsx';
import { AccountIdentity, LastUsed } from './account-identity.tsx';
import { AccountNotices } from './account-notices.tsx';
import { StateBadge, TierBadge } from './badges.tsx';
import { CooldownList } from './cooldowns.tsx';
import { activeCooldowns } from './filters.ts';
import { AccountQuota } from './quota-bars.tsx';
import { AccountActions } from './row-actions.tsx';
import type { Selection } from './selection.ts';
import { accountStrings } from './strings.ts';
import type { AccountView } from './types.ts';

export interface AccountListProps {
  accounts: AccountView[];
  selection: Selection;
  onSignIn: () => void;
}

/** The table view: one row per account; scrolls sideways on a narrow screen. */
export function AccountTable({ accounts, selection, onSignIn }: AccountListProps) {
  const t = useStrings(accountStrings);
  const now = Date.now();
  return (
    <div className="overflow-x-auto rounded-box border border-base-300 bg-base-100">
      <table className="table table-sm" data-testid="account-table">
        <thead>
          <tr>
            <th className="w-8">
              <input
                type="checkbox"
                className="checkbox checkbox-sm"
                aria-label={t('selectAll')}
                checked={selection.allSelected}
                ref={(box) => {
                  if (box) box.indeterminate = selection.someSelected && !selection.allSelected;
                }}
                onChange={() => selection.toggleAll()}
              />
            </th>
            <th>{t('colAccount')}</th>
            <th>{t('colTier')}</th>
            <th>{t('colState')}</th>
            <th>{t('colQuota')}</th>
            <th>{t('colLastUsed')}</th>
            <th>{t('colActions')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr
              key={account.id}
              className="[&>td]:align-top"
              data-testid="account-row"
              data-account-id={account.id}
            >
              <td>
                <input
                  type="checkbox"
                  className="checkbox checkbox-sm"
                  aria-label={t('selectAccount', { email: account.email })}
                  checked={selection.has(account.id)}
                  onChange={() => selection.toggle(account.id)}
                />
              </td>
              <td className="max-w-72 min-w-52">
                <div className="flex flex-col gap-2">
                  <AccountIdentity account={account} />
                  <AccountNotices account={account} onSignIn={onSignIn} />
                </div>
              </td>
              <td>
                <TierBadge tier={account.tier} tierName={account.tierName} />
              </td>
              <td>
                <StateBadge state={account.state} cooling={activeCooldowns(account, now).length > 0} />
              </td>
              <td className="min-w-64">
                <div className="flex flex-col gap-2">
                  <CooldownList account={account} />
                  <AccountQuota account={account} />
                </div>
              </td>
              <td>
                <LastUsed at={account.lastUsedAt} />
              </td>
              <td className="min-w-48">
                <AccountActions account={account} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
