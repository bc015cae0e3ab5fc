import { PageHeader } from '../../components/ui.tsx';

export function ProxyPage() {
  return <PageHeader title="proxy" />;
}
