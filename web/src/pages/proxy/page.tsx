import { useState } from 'react';
import { useConfig } from '../../api/app-queries.ts';
import { ErrorAlert, Loading, PageHeader } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { proxySettingsOf, useAccountModels } from './api.ts';
import { KeysSection } from './keys-section.tsx';
import { MappingEditor } from './mapping-editor.tsx';
import { RetrySection, RoutingSection } from './routing-retry-sections.tsx';
import { SchedulingSection } from './scheduling-section.tsx';
import { SnippetsPanel } from './snippets-panel.tsx';
import { StatusCard } from './status-card.tsx';
import { proxyStrings } from './strings.ts';
import { HttpProxySection, TimeoutsSection } from './upstream-sections.tsx';

const NO_MODELS: readonly string[] = [];

/** Settings forms: they need GET /api/config, which the rest of the page does not. */
function SettingsForms({ modelIds }: { modelIds: readonly string[] }) {
  const config = useConfig();
  if (config.isPending) return <Loading />;
  if (config.error) return <ErrorAlert error={config.error} onRetry={() => void config.refetch()} />;
  const settings = proxySettingsOf(config.data);
  const overridden = new Set(config.data.overridden);
  return (
    <>
      <MappingEditor settings={settings} overridden={overridden} modelIds={modelIds} />
      <SchedulingSection settings={settings} overridden={overridden} />
      <div className="grid gap-4 lg:grid-cols-2">
        <RoutingSection settings={settings} overridden={overridden} modelIds={modelIds} />
        <RetrySection settings={settings} overridden={overridden} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <TimeoutsSection settings={settings} overridden={overridden} />
        <HttpProxySection settings={settings} overridden={overridden} />
      </div>
    </>
  );
}

export function ProxyPage() {
  const t = useStrings(proxyStrings);
  const origin = window.location.origin;
  const accountModels = useAccountModels();
  const modelIds = accountModels.data?.modelIds ?? NO_MODELS;
  // The key created here is readable only until the page is left; the snippets use it meanwhile.
  const [createdKey, setCreatedKey] = useState<string | undefined>();

  return (
    <div className="flex flex-col gap-4">
      <PageHeader title={t('title')} />
      <p className="-mt-2 text-sm opacity-70">{t('intro')}</p>
      <StatusCard origin={origin} />
      <SnippetsPanel origin={origin} apiKey={createdKey} modelIds={modelIds} />
      <KeysSection onCreated={setCreatedKey} />
      {accountModels.error && <ErrorAlert error={accountModels.error} />}
      <SettingsForms modelIds={modelIds} />
    </div>
  );
}
