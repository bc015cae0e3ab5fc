import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post } from '../../api/client.ts';
import type { AccountResponse, AccountsResponse, AccountView, VerifyResponse } from './types.ts';

export const ACCOUNTS_KEY = ['accounts'] as const;

/** The account list; live `account`/`cooldown` events invalidate it (api/events.tsx). */
export const useAccounts = () =>
  useQuery({
    queryKey: ACCOUNTS_KEY,
    queryFn: async () => (await get<AccountsResponse>('/api/accounts')).accounts,
    staleTime: 5_000,
  });

export const accountPath = (id: string) => `/api/accounts/${encodeURIComponent(id)}`;

/** Every change to accounts goes through here, so each one refreshes the list when it settles. */
function useAccountsMutation<TVariables, TData>(mutationFn: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY }),
  });
}

export const usePatchAccount = () =>
  useAccountsMutation(
    ({ id, changes }: { id: string; changes: { enabled?: boolean; label?: string | null } }) =>
      patch<AccountResponse>(accountPath(id), changes),
  );

export const useRefreshAccount = () =>
  useAccountsMutation((id: string) => post<AccountResponse>(`${accountPath(id)}/refresh`));

export const useSetCurrent = () =>
  useAccountsMutation((id: string) => post<AccountResponse>(`${accountPath(id)}/current`));

export const useDeleteAccount = () => useAccountsMutation((id: string) => del(accountPath(id)));

export const useRefreshAll = () =>
  useAccountsMutation(() => post<{ accounts: AccountView[] }>('/api/accounts/refresh'));

export const useVerifyAccount = () =>
  useAccountsMutation((id: string) => post<VerifyResponse>(`${accountPath(id)}/verify`));
