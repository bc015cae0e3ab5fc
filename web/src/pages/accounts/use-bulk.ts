import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { del, errorText, patch, post } from '../../api/client.ts';
import { ACCOUNTS_KEY, accountPath } from './queries.ts';
import type { AccountView } from './types.ts';

export type BulkAction = 'enable' | 'disable' | 'refresh' | 'delete';

export interface BulkFailure {
  email: string;
  message: string;
}

export interface BulkRun {
  action: BulkAction;
  total: number;
  done: number;
  failures: BulkFailure[];
  running: boolean;
}

/** As many calls at once as the server refreshes quotas with: 100 selected accounts do not burst. */
const CONCURRENCY = 4;

function perform(action: BulkAction, account: AccountView): Promise<unknown> {
  const path = accountPath(account.id);
  switch (action) {
    case 'enable':
      return patch(path, { enabled: true });
    case 'disable':
      return patch(path, { enabled: false });
    case 'refresh':
      return post(`${path}/refresh`);
    case 'delete':
      return del(path);
  }
}

/** Runs one action over many accounts, counting progress; one failure never stops the others. */
export function useBulkRun() {
  const queryClient = useQueryClient();
  const [run, setRun] = useState<BulkRun | null>(null);

  const start = useCallback(
    async (action: BulkAction, accounts: readonly AccountView[]) => {
      setRun({ action, total: accounts.length, done: 0, failures: [], running: true });
      const queue = [...accounts];
      const worker = async () => {
        for (let account = queue.shift(); account; account = queue.shift()) {
          let failure: BulkFailure | undefined;
          try {
            await perform(action, account);
          } catch (error) {
            failure = { email: account.email, message: errorText(error) };
          }
          setRun(
            (current) =>
              current && {
                ...current,
                done: current.done + 1,
                failures: failure ? [...current.failures, failure] : current.failures,
              },
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts.length) }, worker));
      setRun((current) => current && { ...current, running: false });
      await queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY });
    },
    [queryClient],
  );

  const dismiss = useCallback(() => setRun(null), []);
  return { run, start, dismiss };
}
