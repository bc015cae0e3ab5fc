import { useConfig } from '../../api/app-queries.ts';
import { countdown, useNow } from '../../components/time.ts';
import { CopyButton, ErrorAlert, Loading } from '../../components/ui.tsx';
import { useStrings, type Translate } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { useAccountModels, useProxyStatus } from './api.ts';
import { proxyStrings, type ProxyKey } from './strings.ts';

/** The three base URLs clients are given; derived from the page's own origin, which is the proxy's. */
export function endpointsOf(origin: string) {
  return [
    { id: 'openai', url: `${origin}/v1` },
    { id: 'anthropic', url: origin },
    { id: 'gemini', url: origin },
  ] as const;
}

function formatUptime(t: Translate<ProxyKey>, seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return t('uptimeDays', { d, h });
  if (h > 0) return t('uptimeHours', { h, m });
  return t('uptimeMinutes', { m });
}

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="rounded-box bg-base-200 px-3 py-2">
      <div className="text-xs opacity-70">{label}</div>
      <div className="text-lg font-semibold" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

export function StatusCard({ origin }: { origin: string }) {
  const t = useStrings(proxyStrings);
  const tc = useStrings(common);
  const status = useProxyStatus();
  const accounts = useAccountModels();
  // GET /api/config carries the version on every server; the status route only on newer ones.
  const config = useConfig();
  const version = status.data?.version ?? config.data?.version;
  const now = useNow(1000);

  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby="proxy-status-title">
      <div className="card-body gap-4 p-4 sm:p-6">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="proxy-status-title" className="card-title">
            {t('statusTitle')}
          </h2>
          {status.data && (
            <span
              className={`badge ${status.data.running ? 'badge-success' : 'badge-error'}`}
              data-testid="proxy-running"
            >
              {status.data.running ? t('running') : t('stopped')}
            </span>
          )}
        </div>
        {status.isPending && <Loading />}
        {status.error && <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />}
        {status.data && (
          <>
            <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
              <Stat label={t('accounts')} value={status.data.accounts} testId="proxy-accounts" />
              <Stat label={t('models')} value={status.data.models} />
              <Stat label={t('cooldowns')} value={status.data.cooldowns.length} />
              {status.data.requests !== undefined && (
                <Stat label={t('requests')} value={status.data.requests} />
              )}
              {status.data.errors !== undefined && <Stat label={t('errors')} value={status.data.errors} />}
              {status.data.uptimeSeconds !== undefined && (
                <Stat label={t('uptime')} value={formatUptime(t, status.data.uptimeSeconds)} />
              )}
            </div>
            {status.data.accounts === 0 && (
              <div role="note" className="alert alert-warning alert-soft text-sm">
                {t('noAccounts')}
              </div>
            )}
            {status.data.cooldowns.length > 0 && (
              <details className="collapse-arrow collapse border border-base-300">
                <summary className="collapse-title text-sm font-medium">
                  {t('cooldownList', { n: status.data.cooldowns.length })}
                </summary>
                <ul className="collapse-content space-y-1 text-sm">
                  {status.data.cooldowns.map((cooldown) => (
                    <li key={`${cooldown.accountId}/${cooldown.model}`} className="break-all">
                      <span className="font-medium">
                        {accounts.data?.emails.get(cooldown.accountId) ?? cooldown.accountId}
                      </span>{' '}
                      · <code>{cooldown.model}</code> · {cooldown.reason} ·{' '}
                      {countdown(tc, cooldown.until, now)}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {version && (
              <div className="text-xs opacity-70" data-testid="proxy-version">
                {t('version', { v: version })}
              </div>
            )}
          </>
        )}
        <div>
          <h3 className="mb-2 font-semibold">{t('endpointsTitle')}</h3>
          <ul className="space-y-2">
            {endpointsOf(origin).map((endpoint) => (
              <li
                key={endpoint.id}
                className="flex flex-wrap items-center gap-2 rounded-box border border-base-300 px-3 py-2"
              >
                <span className="w-24 shrink-0 text-sm font-medium">{t(`endpoint_${endpoint.id}`)}</span>
                <code className="min-w-0 flex-1 break-all text-sm" data-testid={`endpoint-${endpoint.id}`}>
                  {endpoint.url}
                </code>
                <CopyButton text={endpoint.url} />
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs opacity-70">{t('endpointsHint')}</p>
        </div>
      </div>
    </section>
  );
}
