import { useConfig } from '../../api/app-queries.ts';
import { ErrorAlert, Loading, PageHeader } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { AboutSection, DataFolderSection } from './about-section.tsx';
import { AppearanceSection } from './appearance-section.tsx';
import { PasswordSection } from './password-section.tsx';
import { RefreshSection } from './refresh-section.tsx';
import { settingsStrings } from './strings.ts';

export function SettingsPage() {
  const t = useStrings(settingsStrings);
  const config = useConfig();
  return (
    <>
      <PageHeader title={t('title')} />
      {config.isPending ? (
        <Loading />
      ) : config.error ? (
        <ErrorAlert error={config.error} onRetry={() => void config.refetch()} />
      ) : (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" data-testid="settings-page">
          <div className="flex flex-col gap-4">
            <AppearanceSection config={config.data} />
            <RefreshSection config={config.data} />
            <AboutSection config={config.data} />
          </div>
          <div className="flex flex-col gap-4">
            <PasswordSection config={config.data} />
            <DataFolderSection config={config.data} />
          </div>
        </div>
      )}
    </>
  );
}
