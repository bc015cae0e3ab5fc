import { useState, type ReactNode } from 'react';
import { bucketLabel, compact, duration } from '../../components/charts/format.ts';
import { LazyChart } from '../../components/charts/lazy-chart.tsx';
import { Segmented } from '../../components/charts/segmented.tsx';
import { CHART_COLORS } from '../../components/charts/types.ts';
import { ErrorAlert, Loading } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { useStats } from '../dashboard/queries.ts';
import { usageStrings } from './strings-usage.ts';
import { STATS_WINDOWS, type StatsReport, type StatsWindow } from './types.ts';

function ChartBlock({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="card min-w-0 border border-base-300 bg-base-100">
      <div className="card-body gap-2 p-3">
        <h3 className="text-sm font-semibold">{title}</h3>
        {children}
      </div>
    </div>
  );
}

function Charts({ report }: { report: StatsReport }) {
  const t = useStrings(usageStrings);
  const labels = report.series.map((point) => bucketLabel(point.start, report.bucketMs));
  const column = <K extends 'requests' | 'errors'>(key: K) => report.series.map((point) => point[key]);
  const tokens = (key: 'input' | 'output' | 'thinking' | 'cached') =>
    report.series.map((point) => point.tokens[key]);
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <ChartBlock title={t('requestsAndErrors')}>
        <LazyChart
          kind="bar"
          labels={labels}
          series={[
            { label: t('requests'), data: column('requests'), color: CHART_COLORS[0] },
            { label: t('errors'), data: column('errors'), color: CHART_COLORS[1] },
          ]}
          ariaLabel={t('requestsAndErrorsAria')}
          formatLeft={compact}
          testId="chart-requests-errors"
        />
      </ChartBlock>
      <ChartBlock title={t('latencyP50')}>
        <LazyChart
          kind="line"
          labels={labels}
          series={[
            {
              label: t('latencyP50'),
              data: report.series.map((point) => point.p50Ms),
              color: CHART_COLORS[4],
            },
          ]}
          ariaLabel={t('latencyAria')}
          formatLeft={(value) => duration(value)}
          testId="chart-latency"
        />
      </ChartBlock>
      <div className="lg:col-span-2">
        <ChartBlock title={t('tokensOverTime')}>
          <LazyChart
            kind="line"
            labels={labels}
            series={[
              { label: t('input'), data: tokens('input'), color: CHART_COLORS[0] },
              { label: t('output'), data: tokens('output'), color: CHART_COLORS[2] },
              { label: t('thinking'), data: tokens('thinking'), color: CHART_COLORS[4] },
              { label: t('cached'), data: tokens('cached'), color: CHART_COLORS[3] },
            ]}
            ariaLabel={t('tokensAria')}
            formatLeft={compact}
            testId="chart-tokens"
          />
        </ChartBlock>
      </div>
    </div>
  );
}

/** Requests, errors, median latency and tokens over 1h, 24h or 7d (`/api/stats` series). */
export function StatsCharts() {
  const t = useStrings(usageStrings);
  const [statsWindow, setStatsWindow] = useState<StatsWindow>('1h');
  const stats = useStats(statsWindow);
  const minutes = stats.data ? stats.data.bucketMs / 60_000 : 0;
  return (
    <section className="flex flex-col gap-3" aria-label={t('chartsTitle')}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Segmented
          label={t('windowLabel')}
          options={STATS_WINDOWS.map((value) => ({ value, label: t(`window_${value}`) }))}
          value={statsWindow}
          onChange={setStatsWindow}
          testId="stats-window"
        />
        {stats.data && (
          <span className="text-xs opacity-70">
            {minutes >= 60 ? t('bucketHour') : t('bucketMinutes', { n: minutes })}
          </span>
        )}
      </div>
      {stats.isPending ? (
        <Loading />
      ) : stats.error ? (
        <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <div className={`flex flex-col gap-3 ${stats.isPlaceholderData ? 'opacity-60' : ''}`}>
          {stats.data.totals.requests === 0 && <p className="text-sm opacity-70">{t('chartsEmpty')}</p>}
          <Charts report={stats.data} />
        </div>
      )}
    </section>
  );
}
