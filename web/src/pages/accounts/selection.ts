import { useCallback, useMemo, useState } from 'react';

export interface Selection {
  /** The selected accounts among those shown: bulk actions never reach an account the filter hides. */
  ids: string[];
  has: (id: string) => boolean;
  toggle: (id: string) => void;
  /** Selects every shown account, or clears the selection when all are selected already. */
  toggleAll: () => void;
  clear: () => void;
  allSelected: boolean;
  someSelected: boolean;
}

export function useSelection(shownIds: readonly string[]): Selection {
  const [picked, setPicked] = useState<ReadonlySet<string>>(() => new Set());
  const ids = useMemo(() => shownIds.filter((id) => picked.has(id)), [shownIds, picked]);
  const toggle = useCallback((id: string) => {
    setPicked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const allSelected = shownIds.length > 0 && ids.length === shownIds.length;
  const toggleAll = useCallback(() => {
    setPicked(allSelected ? new Set() : new Set(shownIds));
  }, [allSelected, shownIds]);
  const clear = useCallback(() => setPicked(new Set()), []);
  return {
    ids,
    has: (id) => picked.has(id),
    toggle,
    toggleAll,
    clear,
    allSelected,
    someSelected: ids.length > 0,
  };
}
