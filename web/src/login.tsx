import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, post } from './api/client.ts';
import { ErrorAlert } from './components/ui.tsx';
import { useStrings } from './i18n/i18n.tsx';
import { common } from './strings.ts';

/** The two answers a person at the login form causes, in their language; anything else as the server says it. */
function LoginError({ error }: { error: Error }) {
  const t = useStrings(common);
  if (error instanceof ApiError && error.status === 401)
    return <ErrorAlert error={new Error(t('wrongPassword'))} />;
  if (error instanceof ApiError && error.status === 429)
    return <ErrorAlert error={new Error(t('tooManyAttempts'))} />;
  return <ErrorAlert error={error} />;
}

export function LoginPage() {
  const t = useStrings(common);
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => post('/api/auth/login', { password }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password) login.mutate();
  };
  return (
    <main className="flex min-h-screen items-center justify-center bg-base-200 p-4">
      <form onSubmit={submit} className="card w-full max-w-sm bg-base-100 shadow">
        <div className="card-body gap-3">
          <h1 className="card-title">{t('loginTitle')}</h1>
          <p className="text-sm opacity-70">{t('loginBody')}</p>
          <label className="floating-label">
            <span>{t('password')}</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              autoFocus
              className="input w-full"
              placeholder={t('password')}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          {login.error && <LoginError error={login.error} />}
          <button type="submit" className="btn btn-primary" disabled={!password || login.isPending}>
            {login.isPending ? t('signingIn') : t('signIn')}
          </button>
        </div>
      </form>
    </main>
  );
}
