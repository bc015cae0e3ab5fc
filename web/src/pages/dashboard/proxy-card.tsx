import { Link } from 'wouter';
import { CopyButton, ErrorAlert, Loading } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { useProxyStatus } from './queries.ts';
import { dashboardStrings } from './strings.ts';

/** The proxy listens on the dashboard's own origin: that is the base URL clients need. */
export function ProxyCard() {
  const t = useStrings(dashboardStrings);
  const status = useProxyStatus();
  const base = window.location.origin;
  const endpoints = [
    { name: t('endpointOpenAI'), url: `${base}/v1` },
    { name: t('endpointAnthropic'), url: base },
    { name: t('endpointGemini'), url: `${base}/v1beta` },
  ];
  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby="proxy-title" data-testid="proxy-card">
      <div className="card-body gap-3 p-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="proxy-title" className="card-title text-base">
            {t('proxyTitle')}
          </h2>
          {status.data && (
            <span className={`badge ${status.data.running ? 'badge-success' : 'badge-error'}`}>
              {status.data.running ? t('running') : t('stopped')}
            </span>
          )}
        </div>
        <div>
          <div className="mb-1 text-xs opacity-70">{t('baseUrl')}</div>
          <div className="flex items-center gap-2">
            <code
              className="min-w-0 flex-1 truncate rounded bg-base-200 px-2 py-1 text-sm"
              data-testid="base-url"
            >
              {base}
            </code>
            <CopyButton text={base} />
          </div>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          {endpoints.map((endpoint) => (
            <div key={endpoint.name} className="contents">
              <dt className="opacity-70">{endpoint.name}</dt>
              <dd className="truncate font-mono text-xs leading-5">{endpoint.url}</dd>
            </div>
          ))}
        </dl>
        {status.isPending ? (
          <Loading />
        ) : status.error ? (
          <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />
        ) : (
          <div className="flex flex-wrap gap-2 text-sm">
            <span className="badge badge-ghost">{t('proxyAccounts', { n: status.data.accounts })}</span>
            <span className="badge badge-ghost">{t('proxyModels', { n: status.data.models })}</span>
            <span className={`badge ${status.data.cooldowns.length > 0 ? 'badge-warning' : 'badge-ghost'}`}>
              {status.data.cooldowns.length === 1
                ? t('proxyCooldownsOne')
                : t('proxyCooldowns', { n: status.data.cooldowns.length })}
            </span>
          </div>
        )}
        <p className="text-xs opacity-70">
          {t('proxySetup')}{' '}
          <Link href="/proxy" className="link">
            {t('goToProxy')}
          </Link>
        </p>
      </div>
    </section>
  );
}
