import { useSearchParams } from 'wouter';
import { PageHeader } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { LiveLog } from './live-log.tsx';
import { StatsCharts } from './stats-charts.tsx';
import { monitorStrings } from './strings.ts';
import { UsageView } from './usage-view.tsx';

const VIEWS = ['log', 'charts', 'usage'] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABEL = { log: 'viewLog', charts: 'viewCharts', usage: 'viewUsage' } as const;

/** The request log live, the statistics as charts, and the usage per key, model and account (product.md §6). */
export function MonitorPage() {
  const t = useStrings(monitorStrings);
  // The view is in the address (?view=usage), so a reload or a shared link opens the same one.
  const [params, setParams] = useSearchParams();
  const requested = params.get('view');
  const view: View = VIEWS.includes(requested as View) ? (requested as View) : 'log';
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('title')} />
      <div role="tablist" aria-label={t('viewsLabel')} className="tabs tabs-box w-fit">
        {VIEWS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`monitor-tab-${name}`}
            aria-selected={view === name}
            aria-controls={`monitor-panel-${name}`}
            className={`tab ${view === name ? 'tab-active' : ''}`}
            onClick={() => setParams(name === 'log' ? {} : { view: name }, { replace: true })}
            data-testid={`monitor-tab-${name}`}
          >
            {t(VIEW_LABEL[name])}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`monitor-panel-${view}`} aria-labelledby={`monitor-tab-${view}`}>
        {view === 'log' && <LiveLog />}
        {view === 'charts' && <StatsCharts />}
        {view === 'usage' && <UsageView />}
      </div>
    </div>
  );
}
