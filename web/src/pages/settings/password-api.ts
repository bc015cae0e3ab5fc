import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, errorText, put } from '../../api/client.ts';
import type { Translate } from '../../i18n/i18n.tsx';
import type { settingsStrings } from './strings.ts';

/** The shortest admin password the server accepts (schema `server.adminPassword`). */
export const PASSWORD_MIN_LENGTH = 8;

/** PUT /api/auth/password: `newPassword: null` removes it; `currentPassword` when one is set. */
export interface PasswordChange {
  currentPassword?: string;
  newPassword: string | null;
}

/**
 * Sets, changes or removes the admin password. Afterwards the sign-in state and the config
 * (`server.adminPasswordSet`) are asked again: when the server requires a password this browser has no
 * session for, the app shows the login page.
 */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: PasswordChange) => put<unknown>('/api/auth/password', change),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['auth'] }),
        queryClient.invalidateQueries({ queryKey: ['config'] }),
      ]);
    },
  });
}

type Key = keyof (typeof settingsStrings)['en'];

/** The failures a person can act on, in their language; anything else in the server's own words. */
export function passwordErrorText(error: unknown, t: Translate<Key>): string {
  if (error instanceof ApiError) {
    if (error.code === 'password_from_config') return t('passwordFromConfig');
    if (error.code === 'password_required') return t('passwordRequiredRemote');
    if (error.status === 401) return t('currentWrong');
    if (error.status === 429) return t('passwordTooManyAttempts');
    if (error.status === 404 || error.status === 405) return t('passwordUnsupported');
  }
  return errorText(error);
}
