import { useCallback, useState } from 'react';

export type ViewMode = 'table' | 'grid';

const STORAGE_KEY = 'bm.accounts.view';

/** Cards suit a phone better than a table that scrolls sideways, until the user picks a view. */
function initialView(): ViewMode {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'table' || stored === 'grid') return stored;
  return window.matchMedia('(max-width: 767px)').matches ? 'grid' : 'table';
}

/** The table/cards choice, remembered in this browser. */
export function useViewMode(): [ViewMode, (mode: ViewMode) => void] {
  const [mode, setModeState] = useState<ViewMode>(initialView);
  const setMode = useCallback((next: ViewMode) => {
    localStorage.setItem(STORAGE_KEY, next);
    setModeState(next);
  }, []);
  return [mode, setMode];
}
