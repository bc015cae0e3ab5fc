import { ago, useNow } from '../../components/time.ts';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { CurrentMark } from './badges.tsx';
import type { AccountView } from './types.ts';

/** Email, name, label and the current-account mark: how a person recognises an account. */
export function AccountIdentity({ account }: { account: AccountView }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="font-medium break-all" data-testid="account-email">
          {account.email}
        </span>
        {account.isCurrent && <CurrentMark />}
      </div>
      {(account.label || account.displayName) && (
        <div className="flex flex-wrap items-center gap-1.5 text-xs">
          {account.label && (
            <span className="badge badge-sm badge-ghost" data-testid="account-label">
              {account.label}
            </span>
          )}
          {account.displayName && <span className="opacity-70">{account.displayName}</span>}
        </div>
      )}
    </div>
  );
}

/** "3 min ago", kept true as time passes; the exact time on hover. */
export function LastUsed({ at }: { at: string | null }) {
  const tc = useStrings(common);
  const now = useNow(15_000);
  return (
    <time
      className="text-xs whitespace-nowrap opacity-80"
      dateTime={at ?? undefined}
      title={at ? new Date(at).toLocaleString() : undefined}
    >
      {ago(tc, at, now)}
    </time>
  );
}
