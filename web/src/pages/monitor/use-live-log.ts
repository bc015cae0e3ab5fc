import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLiveEvent } from '../../api/events.tsx';
import { matchesFilters, type LogFilters } from './filters.ts';
import { useLogPages } from './queries.ts';
import type { LogRow } from './types.ts';

/** Rows that arrived live and stay on screen; older ones are still a "load older" away. */
const MAX_LIVE_ROWS = 500;

export interface LiveLog {
  rows: LogRow[];
  pages: ReturnType<typeof useLogPages>;
  paused: boolean;
  /** Rows that arrived while paused, shown on resume. */
  waiting: number;
  setPaused: (paused: boolean) => void;
  /** Forgets the live rows (after the log was cleared). */
  reset: () => void;
}

/**
 * The stored pages of the log plus the rows the event stream brings, newest first, without a
 * reload. A row is shown once even when it came both ways (an event during a page fetch).
 */
export function useLiveLog(filters: LogFilters): LiveLog {
  const pages = useLogPages(filters);
  const [live, setLive] = useState<LogRow[]>([]);
  const [held, setHeld] = useState<LogRow[]>([]);
  const [paused, setPausedState] = useState(false);

  const reset = useCallback(() => {
    setLive([]);
    setHeld([]);
  }, []);
  // Another filter is another list: what came live for the old one does not belong.
  useEffect(reset, [filters, reset]);

  useLiveEvent((event) => {
    if (event.type !== 'log') return;
    const row = event.data as unknown as LogRow;
    if (!matchesFilters(row, filters)) return;
    if (paused) setHeld((rows) => [row, ...rows].slice(0, MAX_LIVE_ROWS));
    else setLive((rows) => [row, ...rows].slice(0, MAX_LIVE_ROWS));
  });

  const setPaused = useCallback(
    (next: boolean) => {
      setPausedState(next);
      if (!next) {
        setLive((rows) => [...held, ...rows].slice(0, MAX_LIVE_ROWS));
        setHeld([]);
      }
    },
    [held],
  );

  const rows = useMemo(() => {
    const seen = new Set<number>();
    const all: LogRow[] = [];
    for (const row of [...live, ...(pages.data?.pages.flatMap((page) => page.logs) ?? [])]) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      all.push(row);
    }
    return all.sort((a, b) => b.id - a.id);
  }, [live, pages.data]);

  return { rows, pages, paused, waiting: held.length, setPaused, reset };
}
