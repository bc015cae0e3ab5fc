/**
 * The chart component's props. Kept apart from chart-canvas.tsx so a page can name them without
 * pulling Chart.js into its own chunk: only the lazily loaded canvas imports it.
 */

/** Colours that read on light and dark backgrounds alike. */
export const CHART_COLORS = [
  '#3b82f6',
  '#ef4444',
  '#22c55e',
  '#f59e0b',
  '#8b5cf6',
  '#06b6d4',
  '#ec4899',
  '#84cc16',
  '#f97316',
  '#14b8a6',
] as const;

export interface ChartSeries {
  label: string;
  /** One value per label; null leaves a gap. */
  data: Array<number | null>;
  color: string;
  /** `right` draws it against a second scale on the right (a rate beside a count). */
  axis?: 'left' | 'right';
  /** Bars in a stacked bar chart pile up by this name. */
  stack?: string;
}

export interface ChartProps {
  kind: 'line' | 'bar';
  labels: string[];
  series: ChartSeries[];
  /** What the chart shows, for screen readers (the canvas is an image to them). */
  ariaLabel: string;
  height?: number;
  /** Formats the left scale's ticks and the tooltips of series on it. */
  formatLeft?: (value: number) => string;
  formatRight?: (value: number) => string;
  /** Bars of the same `stack` pile up. */
  stacked?: boolean;
  /** The right scale's upper end (100 for a percentage). */
  rightMax?: number;
  testId?: string;
}
