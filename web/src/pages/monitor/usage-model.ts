import type { UsageGroup, UsageReport } from './types.ts';

export type UsageMetric = 'requests' | 'tokens';
export const USAGE_METRICS: readonly UsageMetric[] = ['requests', 'tokens'];

/** The chart shows the biggest groups by name; the rest share one "others" series. */
const NAMED_GROUPS = 7;

/** Tokens the upstream worked on: input, output and thinking (cached is the part of input served from cache). */
export function usageValue(counts: Pick<UsageGroup, 'requests' | 'tokens'>, metric: UsageMetric): number {
  if (metric === 'requests') return counts.requests;
  return counts.tokens.input + counts.tokens.output + counts.tokens.thinking;
}

export interface UsageSeries {
  /** The group's id (null for "without one"), or undefined for the "others" series. */
  group: string | null | undefined;
  name: string;
  data: number[];
}

/** One stacked series per big group (by the chosen metric), one value per bucket of the report. */
export function usageSeries(
  report: UsageReport,
  metric: UsageMetric,
  nameOf: (group: Pick<UsageGroup, 'group' | 'label'>) => string,
  othersName: string,
): UsageSeries[] {
  const ranked = [...report.totals].sort((a, b) => usageValue(b, metric) - usageValue(a, metric));
  const named = ranked.slice(0, NAMED_GROUPS);
  const index = new Map(report.buckets.map((start, i) => [start, i]));
  const series: UsageSeries[] = named.map((total) => ({
    group: total.group,
    name: nameOf(total),
    data: report.buckets.map(() => 0),
  }));
  const others: UsageSeries = { group: undefined, name: othersName, data: report.buckets.map(() => 0) };
  const slot = new Map(named.map((total, i) => [total.group, series[i]!]));
  for (const row of report.rows) {
    const at = index.get(row.start);
    if (at === undefined) continue;
    const target = slot.get(row.group) ?? others;
    target.data[at]! += usageValue(row, metric);
  }
  return ranked.length > NAMED_GROUPS ? [...series, others] : series;
}
