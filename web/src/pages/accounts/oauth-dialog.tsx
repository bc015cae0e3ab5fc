import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { get, post } from '../../api/client.ts';
import { countdown, useNow } from '../../components/time.ts';
import { CopyButton, ErrorAlert, Loading, Modal } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { common } from '../../strings.ts';
import { dialogStrings } from './dialog-strings.ts';
import { ACCOUNTS_KEY, useAccounts } from './queries.ts';
import type { OAuthCompletion, OAuthFlowStatus, OAuthStartResponse } from './types.ts';

const POLL_MS = 1000;

function FlowStatusLine({
  status,
  completion,
}: {
  status: OAuthFlowStatus | undefined;
  completion?: OAuthCompletion;
}) {
  const t = useStrings(dialogStrings);
  const tc = useStrings(common);
  const now = useNow();
  const accounts = useAccounts();
  if (!status) return null;
  const kind = completion ? 'completed' : status.status;
  let text: string;
  let style = 'alert-info';
  if (kind === 'completed') {
    const id = completion?.account.id ?? status.accountId;
    const email = completion?.account.email ?? accounts.data?.find((account) => account.id === id)?.email;
    text = !email
      ? t('oauthCompletedNoEmail')
      : completion?.outcome === 'updated'
        ? t('oauthCompletedUpdated', { email })
        : t('oauthCompleted', { email });
    style = 'alert-success';
  } else if (kind === 'failed') {
    text = t('oauthFailed', { reason: status.error ?? '' });
    style = 'alert-error';
  } else if (kind === 'expired') {
    text = t('oauthExpired');
    style = 'alert-warning';
  } else {
    text = t('oauthPending', { when: countdown(tc, status.expiresAt, now) });
  }
  return (
    <div
      role="status"
      aria-live="polite"
      className={`alert alert-soft text-sm ${style}`}
      data-testid="oauth-status"
      data-status={kind}
    >
      {kind === 'pending' && <span className="loading loading-dots loading-sm" />}
      <span>{text}</span>
    </div>
  );
}

function PasteForm({
  state,
  onCompleted,
}: {
  state: string;
  onCompleted: (completion: OAuthCompletion) => void;
}) {
  const t = useStrings(dialogStrings);
  const [text, setText] = useState('');
  const complete = useMutation({
    mutationFn: (input: string) =>
      post<OAuthCompletion>(
        '/api/oauth/complete',
        // A pasted address carries the state too, which the server checks against the flow.
        input.startsWith('http') ? { state, callbackUrl: input } : { state, code: input },
      ),
    onSuccess: onCompleted,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = text.trim();
    if (input) complete.mutate(input);
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      <label className="floating-label">
        <span>{t('oauthPasteLabel')}</span>
        <input
          className="input w-full font-mono text-xs"
          placeholder={t('oauthPastePlaceholder')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          data-testid="oauth-paste"
        />
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className="btn btn-sm" disabled={!text.trim() || complete.isPending}>
          {complete.isPending && <span className="loading loading-spinner loading-xs" />}
          {complete.isPending ? t('oauthPasteChecking') : t('oauthPasteSubmit')}
        </button>
      </div>
      {complete.error && <ErrorAlert error={complete.error} />}
    </form>
  );
}

/**
 * Adding an account by OAuth: the sign-in link at once (copy or open), the flow's status polled
 * every second, and the code or callback address pasted when the browser cannot come back here.
 */
export function OAuthDialog({ onClose }: { onClose: () => void }) {
  const t = useStrings(dialogStrings);
  const tc = useStrings(common);
  const queryClient = useQueryClient();
  const [completion, setCompletion] = useState<OAuthCompletion>();
  const start = useMutation({ mutationFn: () => post<OAuthStartResponse>('/api/oauth/start') });
  const { mutate: startFlow } = start;
  // One flow per opening: the ref keeps a development double-mount from starting a second one.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startFlow();
  }, [startFlow]);
  const flow = start.data;
  const status = useQuery({
    queryKey: ['oauth-flow', flow?.state],
    queryFn: () => get<OAuthFlowStatus>(`/api/oauth/status/${encodeURIComponent(flow!.state)}`),
    enabled: flow !== undefined,
    // Polls while the flow waits; an answer that is not "pending", a failure or a pasted code ends it.
    refetchInterval: (query) =>
      !completion && !query.state.error && (query.state.data?.status ?? 'pending') === 'pending'
        ? POLL_MS
        : false,
    refetchIntervalInBackground: true,
  });
  const finished =
    completion !== undefined || (status.data !== undefined && status.data.status !== 'pending');
  const completed = completion !== undefined || status.data?.status === 'completed';
  useEffect(() => {
    if (completed) void queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY });
  }, [completed, queryClient]);
  const restart = () => {
    setCompletion(undefined);
    start.mutate();
  };

  return (
    <Modal
      open
      onClose={onClose}
      title={t('oauthTitle')}
      wide
      actions={
        <button type="button" className={`btn ${completed ? 'btn-primary' : ''}`} onClick={onClose}>
          {completed ? t('done') : tc('close')}
        </button>
      }
    >
      <div className="flex flex-col gap-3" data-testid="oauth-dialog">
        {start.isPending && <Loading label={t('oauthStarting')} />}
        {start.error && <ErrorAlert error={start.error} onRetry={restart} />}
        {flow && (
          <>
            <ol className="list-inside list-decimal space-y-1 text-sm">
              <li>{t('oauthStep1')}</li>
              <li>{t('oauthStep2')}</li>
              <li>{t('oauthStep3')}</li>
            </ol>
            <div className="flex flex-col gap-2 sm:flex-row">
              <label className="floating-label grow">
                <span>{t('oauthUrlLabel')}</span>
                <input
                  readOnly
                  className="input w-full font-mono text-xs"
                  value={flow.authUrl}
                  onFocus={(event) => event.target.select()}
                  data-testid="oauth-url"
                />
              </label>
              <div className="flex items-center gap-2">
                <CopyButton text={flow.authUrl} />
                <button
                  type="button"
                  className="btn btn-sm btn-primary"
                  onClick={() => window.open(flow.authUrl, '_blank', 'noopener')}
                >
                  {t('oauthOpen')}
                </button>
              </div>
            </div>
            <FlowStatusLine status={status.data} completion={completion} />
            {status.error && <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />}
            {finished && !completed && (
              <div>
                <button type="button" className="btn btn-sm" onClick={restart}>
                  {t('oauthStartAgain')}
                </button>
              </div>
            )}
            {!finished && <PasteForm key={flow.state} state={flow.state} onCompleted={setCompletion} />}
          </>
        )}
      </div>
    </Modal>
  );
}
