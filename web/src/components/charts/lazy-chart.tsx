import { Component, lazy, Suspense, type ReactNode } from 'react';
import { useStrings } from '../../i18n/i18n.tsx';
import { chartStrings } from './strings.ts';
import type { ChartProps } from './types.ts';

/** Chart.js (about 60 KB gzip) arrives with the first chart drawn, never with the app's first load. */
const ChartCanvas = lazy(() => import('./chart-canvas.tsx'));

function LoadFailed() {
  const t = useStrings(chartStrings);
  return (
    <div role="alert" className="alert alert-warning alert-soft text-sm">
      {t('loadFailed')}
    </div>
  );
}

/** A chunk that cannot be fetched (the server restarted with a new build) says so instead of blanking the page. */
class ChunkBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <LoadFailed /> : this.props.children;
  }
}

/** A line or bar chart, drawn by Chart.js in the current theme's colours. */
export function LazyChart(props: ChartProps) {
  const height = props.height ?? 220;
  return (
    <ChunkBoundary>
      <Suspense fallback={<div className="skeleton w-full" style={{ height }} />}>
        <ChartCanvas {...props} />
      </Suspense>
    </ChunkBoundary>
  );
}
