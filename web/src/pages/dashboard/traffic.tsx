import { useState } from 'react';
import { bucketLabel, compact, duration, exact, percent } from '../../components/charts/format.ts';
import { LazyChart } from '../../components/charts/lazy-chart.tsx';
import { Segmented } from '../../components/charts/segmented.tsx';
import { CHART_COLORS } from '../../components/charts/types.ts';
import { ErrorAlert, Loading } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { STATS_WINDOWS, type StatsReport, type StatsWindow } from '../monitor/types.ts';
import { useStats } from './queries.ts';
import { dashboardStrings } from './strings.ts';

function Totals({ report }: { report: StatsReport }) {
  const t = useStrings(dashboardStrings);
  const { totals } = report;
  const tokens = totals.tokens;
  const allTokens = tokens.input + tokens.output + tokens.thinking;
  return (
    <div
      className="stats stats-vertical w-full border border-base-300 lg:stats-horizontal"
      data-testid="window-totals"
    >
      <div className="stat">
        <div className="stat-title">{t('totalRequests')}</div>
        <div className="stat-value text-2xl tabular-nums" data-testid="total-requests">
          {exact(totals.requests)}
        </div>
        <div className="stat-desc">{t('errorsCount', { n: exact(totals.errors) })}</div>
      </div>
      <div className="stat">
        <div className="stat-title">{t('successRate')}</div>
        <div className="stat-value text-2xl tabular-nums">
          {totals.requests === 0 ? '-' : percent(1 - totals.errorRate)}
        </div>
      </div>
      <div className="stat">
        <div className="stat-title">{t('tokens')}</div>
        <div className="stat-value text-2xl tabular-nums" title={exact(allTokens)}>
          {compact(allTokens)}
        </div>
        <div className="stat-desc whitespace-normal">
          {t('tokensDetail', {
            input: compact(tokens.input),
            output: compact(tokens.output),
            thinking: compact(tokens.thinking),
            cached: compact(tokens.cached),
          })}
        </div>
      </div>
      <div className="stat">
        <div className="stat-title">{t('latency')}</div>
        <div className="stat-value text-2xl tabular-nums">{duration(totals.latencyMs.p50)}</div>
        <div className="stat-desc">
          {t('latencyDetail', {
            p50: duration(totals.latencyMs.p50),
            p95: duration(totals.latencyMs.p95),
            p99: duration(totals.latencyMs.p99),
          })}
        </div>
      </div>
    </div>
  );
}

function Charts({ report }: { report: StatsReport }) {
  const t = useStrings(dashboardStrings);
  const labels = report.series.map((point) => bucketLabel(point.start, report.bucketMs));
  const minutes = report.bucketMs / 60_000;
  const perMinute = report.series.map((point) => Math.round((point.requests / minutes) * 100) / 100);
  // A bucket without requests has no error rate: a gap, not a misleading 0%.
  const errorRate = report.series.map((point) =>
    point.requests === 0 ? null : Math.round((point.errors / point.requests) * 1000) / 10,
  );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="min-w-0">
        <h3 className="mb-1 text-sm font-semibold">{t('requestsPerMinute')}</h3>
        <LazyChart
          kind="line"
          labels={labels}
          series={[{ label: t('requestsPerMinute'), data: perMinute, color: CHART_COLORS[0] }]}
          ariaLabel={t('requestsChart')}
          formatLeft={(value) => compact(value)}
          testId="chart-requests"
        />
      </div>
      <div className="min-w-0">
        <h3 className="mb-1 text-sm font-semibold">{t('errorRate')}</h3>
        <LazyChart
          kind="line"
          labels={labels}
          series={[{ label: t('errorRate'), data: errorRate, color: CHART_COLORS[1] }]}
          ariaLabel={t('errorChart')}
          formatLeft={(value) => `${value}%`}
          testId="chart-errors"
        />
      </div>
    </div>
  );
}

/** Requests per minute and error rate from `/api/stats` series, with the window's totals. */
export function Traffic() {
  const t = useStrings(dashboardStrings);
  const [statsWindow, setStatsWindow] = useState<StatsWindow>('1h');
  const stats = useStats(statsWindow);
  return (
    <section className="card bg-base-100 shadow-sm" aria-labelledby="traffic-title">
      <div className="card-body gap-4 p-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="traffic-title" className="card-title text-base">
            {t('trafficTitle')}
          </h2>
          <Segmented
            label={t('windowLabel')}
            options={STATS_WINDOWS.map((value) => ({ value, label: t(`window_${value}`) }))}
            value={statsWindow}
            onChange={setStatsWindow}
            testId="traffic-window"
          />
        </div>
        {stats.isPending ? (
          <Loading />
        ) : stats.error ? (
          <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />
        ) : (
          <div className={`flex flex-col gap-4 ${stats.isPlaceholderData ? 'opacity-60' : ''}`}>
            <Totals report={stats.data} />
            {stats.data.totals.requests === 0 && (
              <p className="text-sm opacity-70" data-testid="no-traffic">
                {t('noTraffic')}
              </p>
            )}
            <Charts report={stats.data} />
          </div>
        )}
      </div>
    </section>
  );
}
