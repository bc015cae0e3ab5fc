import { ENVIRONMENT_KEY_PREFIX } from '../proxy/client-auth.ts';
import type { Store } from '../store/database.ts';

/** What the dashboard calls a key from the settings or `BETTER_MANAGER_API_KEY`: it has no label of its own. */
export const ENVIRONMENT_KEY_LABEL = 'from environment';

/**
 * Client API key labels by key id, read from `api_keys` when a report is made (so a key keeps the
 * label it has now, and a revoked key keeps its label: revoking only stamps `revoked_at`).
 */
export function keyLabels(store: Store): (keyId: string | null) => string | null {
  const labels = new Map(
    (store.prepare('SELECT id, label FROM api_keys').all() as Array<{ id: string; label: string }>).map(
      (row) => [row.id, row.label],
    ),
  );
  return (keyId) => {
    if (!keyId) return null;
    if (keyId.startsWith(ENVIRONMENT_KEY_PREFIX)) return ENVIRONMENT_KEY_LABEL;
    return labels.get(keyId) ?? null;
  };
}
