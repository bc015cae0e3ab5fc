import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConfigView } from '../../api/app-queries.ts';
import { put } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { settingsStrings } from './strings.ts';

/** A partial settings tree for PUT /api/config: only the sections this page writes. */
export interface SettingsPatch {
  ui?: Partial<ConfigView['settings']['ui']>;
  refresh?: { quotaIntervalMinutes?: number; concurrency?: number };
}

/**
 * PUT /api/config with a partial tree. The answer is the whole new config view, so it replaces the
 * cached one at once instead of waiting for the `config` live event to refetch it.
 */
export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) => put<ConfigView>('/api/config', patch),
    onSuccess: (config) => queryClient.setQueryData(['config'], config),
  });
}

/** What became of the last save of a section: in progress, done, or failed with the reason. */
export function SaveStatus({ save }: { save: ReturnType<typeof useSaveSettings> }) {
  const t = useStrings(settingsStrings);
  if (save.isPending) {
    return (
      <div className="flex items-center gap-2 text-sm opacity-70" role="status">
        <span className="loading loading-spinner loading-xs" />
        {t('saving')}
      </div>
    );
  }
  if (save.error) return <ErrorAlert error={save.error} />;
  if (save.isSuccess) {
    return (
      <div className="text-sm text-success" role="status" data-testid="settings-saved">
        {t('savedOnServer')}
      </div>
    );
  }
  return null;
}

/** Says why a setting that a flag, the environment or the config file sets does not change from here. */
export function OverriddenNote({ show }: { show: boolean }) {
  const t = useStrings(settingsStrings);
  if (!show) return null;
  return (
    <div role="note" className="alert alert-info alert-soft text-sm">
      {t('overriddenNote')}
    </div>
  );
}
