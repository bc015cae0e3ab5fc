import type { SettingsService } from '../config/settings-service.ts';
import type { ResponsesTable } from '../store/responses-table.ts';

/** What the Responses front end needs of the store behind `previous_response_id`. */
export interface StoredConversations {
  /** How long answers are kept (setting proxy.responsesStoreHours); 0 = not stored. */
  keepHours(): number;
  /** The items up to and including a response, unless unknown or older than the setting. */
  load(responseId: string): unknown[] | undefined;
  /** Keeps a response's whole item list; never throws (a full disk costs only the follow-up). */
  save(responseId: string, items: readonly unknown[]): void;
}

const PRUNE_EVERY = 50;

/** The table, bounded by the settings: pruned every few writes, not on a timer. */
export function storedConversations(settings: SettingsService, table: ResponsesTable): StoredConversations {
  let writes = 0;
  const keepMs = () => settings.current.proxy.responsesStoreHours * 3_600_000;
  return {
    keepHours: () => settings.current.proxy.responsesStoreHours,
    load: (responseId) => table.get(responseId, keepMs()),
    save(responseId, items) {
      try {
        table.put(responseId, items);
        if (++writes % PRUNE_EVERY === 0)
          table.prune(keepMs(), settings.current.proxy.responsesStoreMaxEntries);
      } catch {
        // The client already has its answer; only a later previous_response_id will not find it.
      }
    },
  };
}
