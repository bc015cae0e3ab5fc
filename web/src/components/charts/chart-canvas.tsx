import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { useIsDark } from '../../theme.tsx';
import type { ChartProps, ChartSeries } from './types.ts';

// Only what the dashboard draws: line and bar charts on category and linear scales. Registering
// piece by piece lets the bundler leave every other controller, scale and plugin out.
Chart.register(
  LineController,
  BarController,
  LineElement,
  BarElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Filler,
  Tooltip,
  Legend,
);

interface Palette {
  text: string;
  grid: string;
}

const LIGHT: Palette = { text: '#4b5563', grid: 'rgba(0, 0, 0, 0.08)' };
const DARK: Palette = { text: '#d1d5db', grid: 'rgba(255, 255, 255, 0.12)' };

/** A value with gaps on both sides draws no line: it gets a dot, so a lone bucket still shows. */
function isolatedPoints(data: Array<number | null>): number[] {
  return data.map((value, i) => (value !== null && data[i - 1] == null && data[i + 1] == null ? 3 : 0));
}

function datasets(props: ChartProps): ChartDataset<'line' | 'bar', Array<number | null>>[] {
  return props.series.map((series: ChartSeries) => ({
    label: series.label,
    data: series.data,
    borderColor: series.color,
    backgroundColor: props.kind === 'bar' ? series.color : `${series.color}33`,
    yAxisID: series.axis === 'right' ? 'right' : 'left',
    stack: series.stack,
    fill: props.kind === 'line' && props.series.length === 1,
    tension: 0.25,
    // Monotone curves never dip below zero between two buckets the way a plain spline can.
    cubicInterpolationMode: 'monotone',
    pointRadius: props.kind === 'line' ? isolatedPoints(series.data) : 0,
    pointHitRadius: 8,
    borderWidth: props.kind === 'bar' ? 0 : 2,
    spanGaps: false,
  }));
}

function options(props: ChartProps, palette: Palette): ChartConfiguration<'line' | 'bar'>['options'] {
  const hasRight = props.series.some((series) => series.axis === 'right');
  const format = (axis: 'left' | 'right', value: number) =>
    (axis === 'right' ? props.formatRight : props.formatLeft)?.(value) ?? String(value);
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: {
        display: props.series.length > 1,
        labels: { color: palette.text, boxWidth: 12 },
      },
      tooltip: {
        callbacks: {
          label: (item) => {
            const axis = (item.dataset as { yAxisID?: string }).yAxisID === 'right' ? 'right' : 'left';
            const value = item.parsed.y;
            return `${item.dataset.label ?? ''}: ${value === null ? '-' : format(axis, value)}`;
          },
        },
      },
    },
    scales: {
      x: {
        stacked: props.stacked,
        ticks: { color: palette.text, maxRotation: 0, autoSkip: true, autoSkipPadding: 16 },
        grid: { display: false },
      },
      left: {
        type: 'linear',
        position: 'left',
        beginAtZero: true,
        stacked: props.stacked,
        ticks: { color: palette.text, precision: 0, callback: (value) => format('left', Number(value)) },
        grid: { color: palette.grid },
      },
      right: {
        type: 'linear',
        position: 'right',
        display: hasRight,
        beginAtZero: true,
        max: props.rightMax,
        ticks: { color: palette.text, callback: (value) => format('right', Number(value)) },
        grid: { display: false },
      },
    },
  };
}

/** The canvas itself: Chart.js lives in this module's chunk only (see lazy-chart.tsx). */
export default function ChartCanvas(props: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line' | 'bar', Array<number | null>> | null>(null);
  const dark = useIsDark();
  const palette = dark ? DARK : LIGHT;

  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, {
      type: props.kind,
      data: { labels: props.labels, datasets: datasets(props) },
      options: options(props, palette),
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
    // Made once per kind; data and colours change in place below, without a new canvas.
  }, [props.kind]);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    current.data.labels = props.labels;
    current.data.datasets = datasets(props);
    current.options = options(props, palette) ?? {};
    current.update('none');
  });

  return (
    <div style={{ height: props.height ?? 220 }} className="relative w-full">
      <canvas ref={canvas} role="img" aria-label={props.ariaLabel} data-testid={props.testId} />
    </div>
  );
}
