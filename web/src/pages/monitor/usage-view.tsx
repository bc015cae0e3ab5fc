import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useLiveEvent } from '../../api/events.tsx';
import { bucketLabel, compact, exact } from '../../components/charts/format.ts';
import { LazyChart } from '../../components/charts/lazy-chart.tsx';
import { Segmented } from '../../components/charts/segmented.tsx';
import { CHART_COLORS } from '../../components/charts/types.ts';
import { EmptyState, ErrorAlert, Loading } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { usagePath, useUsage, type UsageQuery } from './queries.ts';
import { usageStrings } from './strings-usage.ts';
import { USAGE_BUCKETS, USAGE_GROUPS, USAGE_WINDOWS, type UsageGroup, type UsageReport } from './types.ts';
import { USAGE_METRICS, usageSeries, type UsageMetric } from './usage-model.ts';

const HOUR = 3_600_000;

/** Refetches the usage at most once every two seconds while requests keep arriving. */
function useUsageFollowsTraffic() {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLiveEvent((event) => {
    if (event.type !== 'log' || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void queryClient.invalidateQueries({ queryKey: ['usage'] });
    }, 2_000);
  });
}

function TotalsTable({ report, nameOf }: { report: UsageReport; nameOf: (group: UsageGroup) => string }) {
  const t = useStrings(usageStrings);
  const sum = (pick: (group: UsageGroup) => number) =>
    report.totals.reduce((total, group) => total + pick(group), 0);
  const cells = (group: Pick<UsageGroup, 'requests' | 'errors' | 'tokens'>) => (
    <>
      <td className="text-right tabular-nums">{exact(group.requests)}</td>
      <td className="text-right tabular-nums">{exact(group.errors)}</td>
      <td className="text-right tabular-nums" title={exact(group.tokens.input)}>
        {compact(group.tokens.input)}
      </td>
      <td className="text-right tabular-nums" title={exact(group.tokens.output)}>
        {compact(group.tokens.output)}
      </td>
      <td className="text-right tabular-nums" title={exact(group.tokens.thinking)}>
        {compact(group.tokens.thinking)}
      </td>
      <td className="text-right tabular-nums" title={exact(group.tokens.cached)}>
        {compact(group.tokens.cached)}
      </td>
    </>
  );
  return (
    <div className="overflow-x-auto rounded-box border border-base-300">
      <table className="table table-sm" data-testid="usage-table">
        <thead>
          <tr>
            <th>{t('colGroup')}</th>
            <th className="text-right">{t('colRequests')}</th>
            <th className="text-right">{t('colErrors')}</th>
            <th className="text-right">{t('colInput')}</th>
            <th className="text-right">{t('colOutput')}</th>
            <th className="text-right">{t('colThinking')}</th>
            <th className="text-right">{t('colCached')}</th>
          </tr>
        </thead>
        <tbody>
          {report.totals.map((group) => (
            <tr key={group.group ?? ''} data-testid="usage-row" data-group={group.group ?? ''}>
              <td className="max-w-64 truncate" title={group.group ?? undefined}>
                {nameOf(group)}
              </td>
              {cells(group)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>{t('totalRow')}</th>
            {cells({
              requests: sum((group) => group.requests),
              errors: sum((group) => group.errors),
              tokens: {
                input: sum((group) => group.tokens.input),
                output: sum((group) => group.tokens.output),
                thinking: sum((group) => group.tokens.thinking),
                cached: sum((group) => group.tokens.cached),
              },
            })}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Usage per key, model or account over hours or days: a stacked chart, a totals table, a CSV export. */
export function UsageView() {
  const t = useStrings(usageStrings);
  const [query, setQuery] = useState<UsageQuery>({ window: '7d', by: 'key', bucket: 'day' });
  const [metric, setMetric] = useState<UsageMetric>('requests');
  const usage = useUsage(query);
  useUsageFollowsTraffic();

  const nameOf = (group: Pick<UsageGroup, 'group' | 'label'>) => {
    // Keys from the settings have no label of their own; the server's English stand-in is replaced here.
    if (query.by === 'key' && group.group?.startsWith('env:'))
      return t('fromEnvironment', { id: group.group });
    if (group.label) return group.label;
    if (group.group) return group.group;
    return { key: t('noKey'), model: t('unknownModel'), account: t('noAccount') }[query.by];
  };

  return (
    <section className="flex flex-col gap-3" aria-label={t('usageTitle')}>
      <div className="flex flex-wrap items-end gap-3">
        <Segmented
          label={t('groupLabel')}
          options={USAGE_GROUPS.map((value) => ({ value, label: t(`by_${value}`) }))}
          value={query.by}
          onChange={(by) => setQuery({ ...query, by })}
          testId="usage-by"
        />
        <Segmented
          label={t('windowLabel')}
          options={USAGE_WINDOWS.map((value) => ({ value, label: t(`window_${value}`) }))}
          value={query.window}
          onChange={(range) => setQuery({ ...query, window: range })}
          testId="usage-window"
        />
        <Segmented
          label={t('bucketLabel')}
          options={USAGE_BUCKETS.map((value) => ({ value, label: t(`bucket_${value}`) }))}
          value={query.bucket}
          onChange={(bucket) => setQuery({ ...query, bucket })}
          testId="usage-bucket"
        />
        <a className="btn btn-sm ml-auto" href={usagePath(query, 'csv')} download data-testid="export-usage">
          {t('exportUsage')}
        </a>
      </div>
      {usage.isPending ? (
        <Loading />
      ) : usage.error ? (
        <ErrorAlert error={usage.error} onRetry={() => void usage.refetch()} />
      ) : usage.data.totals.length === 0 ? (
        <EmptyState title={t('usageTitle')} body={t('usageEmpty')} />
      ) : (
        <div className={`flex flex-col gap-3 ${usage.isPlaceholderData ? 'opacity-60' : ''}`}>
          <div className="card border border-base-300 bg-base-100">
            <div className="card-body gap-2 p-3">
              <Segmented
                label={t('metricLabel')}
                options={USAGE_METRICS.map((value) => ({ value, label: t(`metric_${value}`) }))}
                value={metric}
                onChange={setMetric}
                testId="usage-metric"
              />
              <LazyChart
                kind="bar"
                stacked
                labels={usage.data.buckets.map((start) =>
                  bucketLabel(start, usage.data.bucket === 'hour' ? HOUR : 24 * HOUR),
                )}
                series={usageSeries(usage.data, metric, nameOf, t('others')).map((series, i) => ({
                  label: series.name,
                  data: series.data,
                  color: CHART_COLORS[i % CHART_COLORS.length]!,
                  stack: 'usage',
                }))}
                ariaLabel={t('usageChartAria', {
                  metric: t(`metric_${metric}`),
                  bucket: t(`bucket_${usage.data.bucket}`),
                  group: t(`by_${usage.data.by}`),
                })}
                formatLeft={compact}
                height={260}
                testId="chart-usage"
              />
            </div>
          </div>
          <TotalsTable report={usage.data} nameOf={nameOf} />
        </div>
      )}
    </section>
  );
}
