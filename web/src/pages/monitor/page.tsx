import { PageHeader } from '../../components/ui.tsx';

export function MonitorPage() {
  return <PageHeader title="monitor" />;
}
