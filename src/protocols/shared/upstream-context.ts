import type { TargetModel, UpstreamCall } from '../../proxy/adapter.ts';
import { keepSignaturesOf } from '../anthropic/account-signatures.ts';
import type { SignatureBook } from './signature-book.ts';

/** What every request translator is given: the target, its limits, the signatures and the session. */
export function upstreamContext(
  target: TargetModel,
  signatures: SignatureBook,
  sessionKey: string | undefined,
) {
  return {
    target: { model: target.model, family: target.family },
    ...(target.limits ? { limits: target.limits } : {}),
    signatures,
    ...(sessionKey !== undefined ? { sessionKey } : {}),
  };
}

/**
 * The per-attempt step of a Claude target: a Claude thinking signature goes back only to the
 * account that issued it (product.md §3). Nothing for Gemini targets.
 */
export function accountBinding(
  target: TargetModel,
  signatures: SignatureBook,
): Pick<UpstreamCall, 'forAccount'> {
  if (target.family !== 'claude') return {};
  return { forAccount: (request, accountId) => keepSignaturesOf(request, accountId, signatures) };
}
