import { sendJson, type Exchange } from './http.ts';
import type { SimState } from './state.ts';
import type { Outcome } from './types.ts';
import { isPlainObject } from '../util/json.ts';

/**
 * HTTP knobs for a simulator that runs inside another process (the `demo` command): a browser
 * test cannot reach `Simulator.script()`, so it scripts the same outcomes through this route.
 * Only the simulator's own port answers it; the product never calls it.
 */

export const CONTROL_PREFIX = '/__control/';

const OUTCOME_KINDS = new Set([
  'text',
  'thinking',
  'toolCall',
  'image',
  'search',
  'empty',
  'cut',
  'stall',
  'error',
]);

function controlError(ex: Exchange, status: number, message: string): void {
  sendJson(ex, status, { error: { code: status, message } });
}

/** `{email, model, outcomes}`: queues the outcomes for that account and model, as `script()` does. */
function script(ex: Exchange, state: SimState): void {
  const body = ex.body;
  if (!isPlainObject(body)) return controlError(ex, 400, 'Expected a JSON object {email, model, outcomes}');
  const { email, model, outcomes } = body;
  if (typeof email !== 'string' || typeof model !== 'string' || !model) {
    return controlError(ex, 400, '"email" and "model" must be strings');
  }
  if (!Array.isArray(outcomes) || outcomes.length === 0) {
    return controlError(ex, 400, '"outcomes" must be a non-empty array');
  }
  const unknownKind = outcomes.find(
    (outcome) =>
      !isPlainObject(outcome) || typeof outcome.kind !== 'string' || !OUTCOME_KINDS.has(outcome.kind),
  );
  if (unknownKind !== undefined) {
    return controlError(ex, 400, `Each outcome needs a "kind" among ${[...OUTCOME_KINDS].join(', ')}`);
  }
  if (!state.findAccount(email)) return controlError(ex, 404, `Unknown simulator account ${email}`);
  state.script(email, model, outcomes as Outcome[]);
  sendJson(ex, 200, { scripted: outcomes.length });
}

export function control(ex: Exchange, state: SimState): void {
  const method = ex.req.method ?? 'GET';
  if (method === 'POST' && ex.path === `${CONTROL_PREFIX}script`) return script(ex, state);
  return controlError(ex, 404, `No control route ${method} ${ex.path}`);
}
