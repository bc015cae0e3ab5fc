import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type LiveEvent =
  | { type: 'log'; data: Record<string, unknown> }
  | { type: 'account'; data: { id: string; state?: string } }
  | { type: 'cooldown'; data: Record<string, unknown> }
  | { type: 'config'; data: { changed: boolean; keys: string[] } };

type Listener = (event: LiveEvent) => void;

interface LiveContext {
  connected: boolean;
  subscribe: (listener: Listener) => () => void;
}

const Context = createContext<LiveContext>({ connected: false, subscribe: () => () => {} });

/**
 * One `/api/events` stream for the whole app: it keeps the cached server state fresh (accounts,
 * config, logs and stats are refetched when the server says they changed) and hands each event to
 * the pages that subscribe (the Monitor's live table). EventSource reconnects by itself.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const source = new EventSource('/api/events');
    let statsTimer: ReturnType<typeof setTimeout> | undefined;
    // A burst of requests refetches stats once a second at most.
    const refreshStatsSoon = () => {
      statsTimer ??= setTimeout(() => {
        statsTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: ['stats'] });
        void queryClient.invalidateQueries({ queryKey: ['proxy-status'] });
      }, 1000);
    };
    const dispatch = (event: LiveEvent) => {
      for (const listener of listeners.current) listener(event);
    };
    const on = (type: LiveEvent['type'], handle: (data: never) => void) =>
      source.addEventListener(type, (message) => {
        let data: unknown;
        try {
          data = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        handle(data as never);
        dispatch({ type, data } as LiveEvent);
      });
    on('log', () => refreshStatsSoon());
    on('account', () => void queryClient.invalidateQueries({ queryKey: ['accounts'] }));
    on('cooldown', () => void queryClient.invalidateQueries({ queryKey: ['accounts'] }));
    on('config', () => {
      void queryClient.invalidateQueries({ queryKey: ['config'] });
      void queryClient.invalidateQueries({ queryKey: ['proxy-config'] });
    });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    return () => {
      clearTimeout(statsTimer);
      source.close();
    };
  }, [queryClient]);

  const value = useRef<LiveContext>({
    connected,
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  });
  value.current = { ...value.current, connected };
  return <Context.Provider value={value.current}>{children}</Context.Provider>;
}

export function useLiveEvents(): LiveContext {
  return useContext(Context);
}

/** Calls `listener` for every live event while the component is mounted. */
export function useLiveEvent(listener: Listener): void {
  const { subscribe } = useLiveEvents();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}
