import {
  DOMAIN,
  ERROR_INFO,
  HELP,
  RETRY_INFO,
  genericError,
  notFound,
  outdatedClient,
  rpcError,
  serviceDisabled,
  statusName,
  tosBan,
  unauthenticated,
  validationRequired,
  type RpcError,
} from './rpc-errors.ts';
import type { ErrorOutcome } from './types.ts';

export interface PresetContext {
  model: string;
  project: string;
  validationUrl: string;
  now: number;
}

/** `3.5` → `3.5s`; keeps up to nanosecond precision like protobuf Duration JSON. */
export function secondsForm(seconds: number): string {
  return `${Number(seconds.toFixed(9))}s`;
}

export function millisForm(seconds: number): string {
  return `${Number((seconds * 1000).toFixed(6))}ms`;
}

/** Go's time.Duration.String(): `161h39m41.300432511s`, `2m3s`, `479.417207ms`. */
export function goForm(seconds: number, wholeSeconds = false): string {
  if (seconds < 1 && !wholeSeconds) return millisForm(seconds);
  const total = wholeSeconds ? Math.floor(seconds) : seconds;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total - hours * 3600) / 60);
  const rest = Number((total - hours * 3600 - minutes * 60).toFixed(9));
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function delayString(value: number | string, form: 'ms' | 's' | 'go'): string {
  if (typeof value === 'string') return value;
  return form === 'ms' ? millisForm(value) : form === 'go' ? goForm(value) : secondsForm(value);
}

/** Seconds for the human message when the caller gave a verbatim string. */
function parseSeconds(value: number | string): number {
  if (typeof value === 'number') return value;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/([\d.]+)(h|ms|m|s)/g)) {
    const n = Number(amount);
    total += unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : unit === 'ms' ? n / 1000 : n;
  }
  return total;
}

interface QuotaShape {
  reason: string;
  defaultDelay: number;
  defaultForm: 'ms' | 's' | 'go';
}

function quotaError(outcome: ErrorOutcome, ctx: PresetContext, shape: QuotaShape): RpcError {
  const form = outcome.resetDelayForm ?? shape.defaultForm;
  const delay = outcome.quotaResetDelay ?? outcome.retryDelay ?? shape.defaultDelay;
  const seconds = delay === null ? shape.defaultDelay : parseSeconds(delay);
  const metadata: Record<string, string> = { model: ctx.model, uiMessage: 'true' };
  if (outcome.quotaResetDelay !== null && delay !== null) metadata.quotaResetDelay = delayString(delay, form);
  if (outcome.quotaResetTimeStamp !== null) {
    metadata.quotaResetTimeStamp = outcome.quotaResetTimeStamp ?? rfc3339(ctx.now + seconds * 1000);
  }
  const details: unknown[] = [{ '@type': ERROR_INFO, reason: shape.reason, domain: DOMAIN, metadata }];
  const retry = outcome.retryDelay === undefined ? seconds : outcome.retryDelay;
  if (retry !== null) details.push({ '@type': RETRY_INFO, retryDelay: delayString(retry, 's') });
  const message =
    outcome.message ??
    `You have exhausted your capacity on this model. Your quota will reset after ${goForm(seconds, true)}.`;
  return rpcError(429, message, details);
}

function capacityError(outcome: ErrorOutcome, ctx: PresetContext): RpcError {
  const code = outcome.status ?? 503;
  const details: unknown[] = [
    {
      '@type': ERROR_INFO,
      reason: 'MODEL_CAPACITY_EXHAUSTED',
      domain: DOMAIN,
      metadata: { model: ctx.model },
    },
  ];
  const retry = outcome.retryDelay === undefined ? 9 : outcome.retryDelay;
  if (retry !== null) details.push({ '@type': RETRY_INFO, retryDelay: delayString(retry, 's') });
  const message = outcome.message ?? `No capacity available for model ${ctx.model} on the server`;
  return rpcError(code, message, details);
}

function quotaFailureError(outcome: ErrorOutcome, ctx: PresetContext): RpcError {
  const retry = outcome.retryDelay === undefined ? 56 : outcome.retryDelay;
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'cloudcode-pa.googleapis.com/generate_content_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
          quotaDimensions: { location: 'global', model: ctx.model },
          quotaValue: '60',
        },
      ],
    },
    {
      '@type': HELP,
      links: [
        { description: 'Learn more about quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' },
      ],
    },
  ];
  if (retry !== null) details.push({ '@type': RETRY_INFO, retryDelay: delayString(retry, 's') });
  const hint = retry === null ? '' : ` Please retry in ${delayString(retry, 's')}.`;
  const message =
    outcome.message ?? `You exceeded your current quota, please check your plan and billing details.${hint}`;
  return rpcError(429, message, details);
}

function build(outcome: ErrorOutcome, ctx: PresetContext): RpcError {
  switch (outcome.preset) {
    case 'rateLimit':
      return quotaError(outcome, ctx, {
        reason: 'RATE_LIMIT_EXCEEDED',
        defaultDelay: 0.479417207,
        defaultForm: 'ms',
      });
    case 'quotaExhausted':
      return quotaError(outcome, ctx, { reason: 'QUOTA_EXHAUSTED', defaultDelay: 3600, defaultForm: 's' });
    case 'capacity':
      return capacityError(outcome, ctx);
    case 'insufficientCredits':
      return rpcError(429, outcome.message ?? 'Resource has been exhausted (e.g. check quota).', [
        { '@type': ERROR_INFO, reason: 'INSUFFICIENT_G1_CREDITS_BALANCE', domain: DOMAIN },
      ]);
    case 'unstructured429':
      return genericError(429);
    case 'quotaFailure':
      return quotaFailureError(outcome, ctx);
    case 'validationRequired':
      return validationRequired(ctx.validationUrl);
    case 'ban':
      return tosBan();
    case 'serviceDisabled':
      return serviceDisabled(ctx.project);
    case 'unauthenticated':
      return unauthenticated('expired', 'generateContent');
    case 'internal':
      return genericError(500);
    case 'unavailable':
      return genericError(503);
    case 'notFound':
      return notFound();
    case 'invalidArgument':
      return genericError(400);
    case 'outdatedClient':
      return outdatedClient();
  }
}

/** The response a scripted `error` outcome produces, with its overrides applied. */
export function presetError(outcome: ErrorOutcome, ctx: PresetContext): RpcError {
  const built = build(outcome, ctx);
  const error = (built.body as { error: Record<string, unknown> }).error;
  if (outcome.message !== undefined) error.message = outcome.message;
  if (outcome.status !== undefined && outcome.status !== built.status) {
    error.code = outcome.status;
    error.status = statusName(outcome.status);
    built.status = outcome.status;
  }
  if (outcome.retryAfterHeader !== undefined) {
    built.headers = { ...built.headers, 'retry-after': String(outcome.retryAfterHeader) };
  }
  if (outcome.arrayBody) built.body = [built.body];
  return built;
}
