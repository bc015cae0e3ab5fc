import { useEffect, useState } from 'react';
import { useSaveSettings } from './api.ts';

/**
 * The editable copy of one settings section. While the user has no unsaved edits, a new server value
 * (saved elsewhere and announced on /api/events) replaces the copy; edits in progress are never
 * overwritten. `dirty` compares with what the server holds now, through `comparable` when the draft
 * carries fields of its own (row keys).
 */
export function useSettingsDraft<D>(server: D, comparable: (draft: D) => unknown = (draft) => draft) {
  const serverJson = JSON.stringify(comparable(server));
  const [draft, setDraft] = useState<D>(server);
  const [previousServerJson, setPreviousServerJson] = useState(serverJson);
  if (previousServerJson !== serverJson) {
    // Adjusting state while rendering (React's documented pattern) avoids a frame showing stale values.
    setPreviousServerJson(serverJson);
    if (JSON.stringify(comparable(draft)) === previousServerJson) setDraft(server);
  }
  const dirty = JSON.stringify(comparable(draft)) !== serverJson;
  const save = useSaveSettings();

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const discard = () => {
    setDraft(server);
    save.reset();
  };
  /** "Saved" stays until the next edit. */
  const saved = save.isSuccess && !dirty;
  return {
    draft,
    setDraft,
    save,
    /** The save state a SettingsCard shows, to spread into its props. */
    card: { dirty, saving: save.isPending, saved, error: save.error as unknown, onDiscard: discard },
  };
}
