import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ui.tsx';
import { useStrings } from '../../i18n/i18n.tsx';
import { useVerifyAccount } from './queries.ts';
import { accountStrings } from './strings.ts';
import type { AccountView } from './types.ts';

function VerifyOutcome({ verify }: { verify: ReturnType<typeof useVerifyAccount> }) {
  const t = useStrings(accountStrings);
  if (verify.error) {
    // The verify route is newer than this page may be served by; say what to do instead.
    if (verify.error instanceof ApiError && verify.error.status === 404)
      return <ErrorAlert error={new Error(t('verifyMissing'))} />;
    return <ErrorAlert error={verify.error} />;
  }
  if (!verify.data) return null;
  const fixed = verify.data.outcome === 'active';
  return (
    <div
      role="status"
      className={`alert alert-soft py-1.5 text-xs ${fixed ? 'alert-success' : 'alert-warning'}`}
      data-testid="verify-outcome"
    >
      {verify.data.message}
    </div>
  );
}

/** A blocked account: Google's reason, the verification link when there is one, and a fresh check. */
function ForbiddenNotice({ account }: { account: AccountView }) {
  const t = useStrings(accountStrings);
  const verify = useVerifyAccount();
  return (
    <div className="flex flex-col gap-1.5 rounded-box bg-error/10 p-2 text-xs" data-testid="forbidden-notice">
      <div className="font-semibold">{t('forbiddenTitle')}</div>
      {account.stateReason && <p className="break-words opacity-80">{account.stateReason}</p>}
      {account.validationUrl && <p>{t('validationBody', { email: account.email })}</p>}
      <div className="flex flex-wrap gap-2">
        {account.validationUrl && (
          <a
            className="btn btn-xs btn-primary"
            href={account.validationUrl}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="validation-link"
          >
            {t('openValidation')}
          </a>
        )}
        <button
          type="button"
          className="btn btn-xs"
          disabled={verify.isPending}
          onClick={() => verify.mutate(account.id)}
        >
          {verify.isPending && <span className="loading loading-spinner loading-xs" />}
          {verify.isPending ? t('checking') : t('checkAgain')}
        </button>
      </div>
      <VerifyOutcome verify={verify} />
    </div>
  );
}

function NeedsLoginNotice({ account, onSignIn }: { account: AccountView; onSignIn: () => void }) {
  const t = useStrings(accountStrings);
  return (
    <div
      className="flex flex-col gap-1.5 rounded-box bg-warning/10 p-2 text-xs"
      data-testid="needs-login-notice"
    >
      <div className="font-semibold">{t('needsLoginTitle')}</div>
      <p>{t('needsLoginBody', { email: account.email })}</p>
      <div>
        <button type="button" className="btn btn-xs btn-primary" onClick={onSignIn}>
          {t('signInAgain')}
        </button>
      </div>
    </div>
  );
}

/** What the user must do about an account that cannot serve: nothing for the others. */
export function AccountNotices({ account, onSignIn }: { account: AccountView; onSignIn: () => void }) {
  if (account.state === 'forbidden') return <ForbiddenNotice account={account} />;
  if (account.state === 'needs_login') return <NeedsLoginNotice account={account} onSignIn={onSignIn} />;
  return null;
}
