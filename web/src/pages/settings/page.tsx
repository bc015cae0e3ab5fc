import { PageHeader } from '../../components/ui.tsx';

export function SettingsPage() {
  return <PageHeader title="settings" />;
}
