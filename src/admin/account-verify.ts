import type { AccountState, AccountView } from '../accounts/views.ts';

export type VerifyOutcome = 'active' | 'forbidden' | 'needs_login' | 'disabled' | 'error';

/**
 * What the dashboard's "check again" found, in words. `failure` is why the check could not finish
 * (network, upstream 5xx); an answer from Google that blocks the account shows in its state instead.
 */
export function describeVerification(
  account: AccountView,
  failure: string | null,
  before: AccountState,
): { outcome: VerifyOutcome; message: string } {
  if (account.state === 'disabled')
    return { outcome: 'disabled', message: 'The account is disabled: enable it to let it serve requests' };
  if (account.state === 'needs_login') {
    return {
      outcome: 'needs_login',
      message: 'Google no longer accepts this sign-in: add the account again by OAuth to use it',
    };
  }
  if (failure !== null)
    return { outcome: 'error', message: `Could not check the account, try again later: ${failure}` };
  if (account.state === 'forbidden') {
    return {
      outcome: 'forbidden',
      message: account.validationUrl
        ? 'Still needs validation: open the link and sign in'
        : `Still blocked by Google: ${account.stateReason ?? 'no reason given'}`,
    };
  }
  return {
    outcome: 'active',
    message:
      before === 'active'
        ? 'Verified: the account serves requests'
        : 'Verified: the account serves requests again',
  };
}
