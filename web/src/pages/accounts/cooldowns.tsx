import { countdown, useNow } from '../../components/time.ts';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { activeCooldowns } from './filters.ts';
import { accountStrings, type AccountStringKey } from './strings.ts';
import type { AccountView } from './types.ts';

const REASON: Record<string, AccountStringKey> = {
  rate_limited: 'reasonRateLimited',
  quota_exhausted: 'reasonQuotaExhausted',
  credits_exhausted: 'reasonCreditsExhausted',
  not_found: 'reasonNotFound',
};

/** The per-model cooldowns in force: why the scheduler skips this account for a model, and until when. */
export function CooldownList({ account }: { account: AccountView }) {
  const t = useStrings(accountStrings);
  const tc = useStrings(common);
  const now = useNow();
  const cooldowns = activeCooldowns(account, now);
  if (cooldowns.length === 0) return null;
  return (
    <div className="rounded-box bg-info/10 px-2 py-1 text-xs">
      <div className="font-semibold">{t('cooldownsTitle')}</div>
      <ul className="mt-0.5 flex flex-col gap-0.5">
        {cooldowns.map((cooldown) => {
          const reasonKey = REASON[cooldown.reason];
          return (
            <li key={cooldown.model} data-testid="cooldown" data-model={cooldown.model}>
              <span className="font-mono">{cooldown.model}</span>
              {' · '}
              {reasonKey ? t(reasonKey) : cooldown.reason}
              {' · '}
              <time dateTime={cooldown.until} className="tabular-nums">
                {t('cooldownUntil', {
                  time: new Date(cooldown.until).toLocaleTimeString(),
                  when: countdown(tc, cooldown.until, now),
                })}
              </time>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
