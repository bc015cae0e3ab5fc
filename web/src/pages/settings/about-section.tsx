import type { ConfigView } from '../../api/app-queries.ts';
import { CopyButton } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { SettingsCard } from './settings-card.tsx';
import { settingsStrings } from './strings.ts';

/** A path on one line that scrolls rather than breaking a narrow screen, with its copy button. */
function PathRow({ label, path, testId }: { label: string; path: string; testId: string }) {
  const t = useStrings(settingsStrings);
  return (
    <div className="flex flex-col gap-1">
      <div className="text-sm font-semibold">{label}</div>
      <div className="flex items-center gap-2">
        <code
          className="min-w-0 flex-1 overflow-x-auto rounded bg-base-200 px-2 py-1.5 text-sm whitespace-nowrap"
          data-testid={testId}
          tabIndex={0}
        >
          {path}
        </code>
        <CopyButton text={path} label={t('copyPath')} />
      </div>
    </div>
  );
}

/** Where the data and the config file are: for backups, and to edit the settings this page cannot. */
export function DataFolderSection({ config }: { config: ConfigView }) {
  const t = useStrings(settingsStrings);
  return (
    <SettingsCard
      title={t('dataTitle')}
      body={config.demo ? t('dataDemoBody') : t('dataBody')}
      testId="settings-data"
    >
      <PathRow label={t('dataDir')} path={config.dataDir} testId="settings-data-dir" />
      <PathRow label={t('configFile')} path={config.configFile} testId="settings-config-file" />
    </SettingsCard>
  );
}

/** Version, mode and the address the dashboard and the proxy listen on. */
export function AboutSection({ config }: { config: ConfigView }) {
  const t = useStrings(settingsStrings);
  const { host, port } = config.settings.server;
  // An IPv6 literal needs brackets in a URL.
  const address = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return (
    <SettingsCard title={t('aboutTitle')} testId="settings-about">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">{t('version')}</dt>
        <dd data-testid="settings-version">{config.version}</dd>
        <dt className="font-semibold">{t('mode')}</dt>
        <dd>
          {config.demo ? (
            <span className="inline-flex flex-wrap items-center gap-2">
              <span className="badge badge-warning" data-testid="settings-demo-mark">
                {t('modeDemoMark')}
              </span>
              {t('modeDemo')}
            </span>
          ) : (
            t('modeNormal')
          )}
        </dd>
        <dt className="font-semibold">{t('listenAddress')}</dt>
        <dd className="break-all">{address}</dd>
      </dl>
    </SettingsCard>
  );
}
