import { createHash } from 'node:crypto';
import { presetError } from './error-presets.ts';
import { sendRpcError, sleep, type Exchange } from './http.ts';
import { enforceModelRules, wantsThoughts } from './model-rules.ts';
import { lastUserText } from './prompt-text.ts';
import { consumeQuota, isExhausted } from './quota.ts';
import { planReply } from './reply-plan.ts';
import { notFound, rpcError, serviceDisabled, tosBan, validationRequired } from './rpc-errors.ts';
import type { SimState } from './state.ts';
import { writeJsonArray, writeNonStream, writeSse, type WriteOptions } from './stream-writer.ts';
import type { ErrorOutcome, Outcome, OutcomeCommon, SimAccountState, SimModelFixture } from './types.ts';
import { reject } from './validate-common.ts';
import {
  parseEnvelope,
  parseGenerateRequest,
  type Envelope,
  type GenerateRequest,
} from './validate-request.ts';

/** generateContent and streamGenerateContent (wire.md §2.6–2.8): validate, pick the outcome, reply. */

const CREDIT_COST = 5;
const CREDIT_MINIMUM = 50;

/** Gemini counts an image as 258 tokens; Claude about 1,600 for a screenshot-sized one (w×h/750). */
const IMAGE_TOKENS = { claude: 1600, gemini: 258 };
/** The tool-use system prompt Claude adds when tools are declared (Anthropic's figure for Claude 4). */
const CLAUDE_TOOL_PROMPT_TOKENS = 346;

/**
 * `promptTokenCount` as the model counts its input: the text it reads (function calls and results
 * as JSON, tool declarations included), and images. Claude does not read earlier turns' thinking.
 */
function promptSize(model: SimModelFixture, request: GenerateRequest): number {
  const claude = model.family === 'claude';
  const parts = [...(request.system?.parts ?? []), ...request.contents.flatMap((c) => c.parts)];
  let chars = 0;
  let images = 0;
  for (const part of parts) {
    if (part.inlineData || part.fileData) images++;
    else if (part.functionCall) chars += JSON.stringify(part.functionCall).length;
    else if (part.functionResponse) chars += JSON.stringify(part.functionResponse.response ?? {}).length;
    else if (typeof part.text === 'string' && !(claude && part.thought)) chars += part.text.length;
  }
  for (const declaration of request.declarations) {
    chars += declaration.name.length + (declaration.description?.length ?? 0);
    const schema = declaration.parameters ?? declaration.parametersJsonSchema;
    if (schema !== undefined) chars += JSON.stringify(schema).length;
  }
  const toolPrompt = claude && request.declarations.length > 0 ? CLAUDE_TOOL_PROMPT_TOKENS : 0;
  return Math.max(1, Math.ceil(chars / 4)) + images * IMAGE_TOKENS[claude ? 'claude' : 'gemini'] + toolPrompt;
}

function resolveModel(state: SimState, account: SimAccountState, envelope: Envelope): SimModelFixture {
  if (!envelope.model) reject(rpcError(400, '* GenerateContentRequest.model: model is required\n'));
  const model = state.models.get(envelope.model);
  if (model?.replacedBy) {
    reject(
      rpcError(400, `Model ${model.id} is no longer available. Please use ${model.replacedBy} instead.`),
    );
  }
  if (!envelope.project) reject(rpcError(400, '* GenerateContentRequest.project: project is required\n'));
  if (envelope.project !== account.project) reject(serviceDisabled(envelope.project));
  if (!model || !account.models.includes(model.id)) reject(notFound());
  return model;
}

async function sendError(
  ex: Exchange,
  outcome: ErrorOutcome & OutcomeCommon,
  ctx: Parameters<typeof presetError>[1],
): Promise<void> {
  if (!(await sleep(outcome.firstByteDelayMs ?? 0, ex.signal))) return;
  sendRpcError(ex, presetError(outcome, ctx));
}

/** Credits pay for a request once the model's quota is out, when the client opted in. */
function payWithCredits(
  account: SimAccountState,
  envelope: Envelope,
): { consumed: number; remaining: number } | 'insufficient' | undefined {
  if (!envelope.enabledCreditTypes.includes('GOOGLE_ONE_AI')) return undefined;
  if (account.credits < CREDIT_MINIMUM) return 'insufficient';
  account.credits -= CREDIT_COST;
  return { consumed: CREDIT_COST, remaining: account.credits };
}

function writeOptions(outcome: Outcome | undefined, state: SimState, errorBody?: unknown): WriteOptions {
  const options: WriteOptions = {
    framing: outcome?.framing ?? 'crlf',
    firstByteDelayMs: outcome?.firstByteDelayMs ?? 0,
    chunkDelayMs: outcome?.chunkDelayMs ?? state.replyChunkDelayMs,
  };
  if (outcome?.kind === 'cut') {
    options.cutAfter = outcome.afterChunks;
    options.cutBeforeHeaders = outcome.beforeHeaders === true;
  }
  if (outcome?.kind === 'stall') options.stall = { afterChunks: outcome.afterChunks, ms: outcome.ms };
  if (outcome?.kind === 'error' && errorBody !== undefined) {
    options.errorAfter = { afterChunks: outcome.afterChunks ?? 0, body: errorBody };
  }
  return options;
}

export async function generate(
  ex: Exchange,
  state: SimState,
  account: SimAccountState,
  stream: boolean,
): Promise<void> {
  const envelope = parseEnvelope(ex.body);
  const request = parseGenerateRequest(envelope.request, state.rules);
  if (account.banned) return sendRpcError(ex, tosBan());
  if (account.validationRequired) return sendRpcError(ex, validationRequired(account.validationUrl));
  const model = resolveModel(state, account, envelope);
  ex.record.account = account.email;
  const sequence = state.nextSequence(account.email);
  const bodyHash = createHash('sha256').update(JSON.stringify(ex.body)).digest('hex').slice(0, 16);
  const seed = `${account.email}:${sequence}:${bodyHash}`;
  enforceModelRules(model, request, state.signatures, seed, state.rules, account.email);

  const now = Date.now();
  const presetContext = {
    model: model.id,
    project: account.project ?? '',
    validationUrl: account.validationUrl,
    now,
  };
  let outcome = state.takeOutcome(account.email, model.id);
  let credits: { consumed: number; remaining: number } | undefined;
  if (!outcome) {
    const exhausted = isExhausted(account, model.id, now);
    if (exhausted) {
      const paid = payWithCredits(account, envelope);
      if (paid === 'insufficient') outcome = { kind: 'error', preset: 'insufficientCredits' };
      else if (paid) credits = paid;
      else {
        const delay = Math.max(1, Math.round((Date.parse(exhausted.resetTime) - now) / 1000));
        outcome = {
          kind: 'error',
          preset: 'quotaExhausted',
          quotaResetDelay: delay,
          quotaResetTimeStamp: exhausted.resetTime,
        };
      }
    }
  }
  const streamedError = stream && outcome?.kind === 'error' && outcome.afterChunks !== undefined;
  if (outcome?.kind === 'error' && !streamedError) return sendError(ex, outcome, presetContext);

  const promptTokens = promptSize(model, request);
  const sessionKey = request.sessionId === undefined ? undefined : `${account.email}\0${request.sessionId}`;
  const previous = sessionKey === undefined ? undefined : state.sessions.get(sessionKey);
  if (sessionKey !== undefined) state.sessions.set(sessionKey, promptTokens);
  const plan = planReply({
    outcome,
    model,
    email: account.email,
    seed,
    sessionId: request.sessionId,
    showThoughts: wantsThoughts(model, request),
    lastUserText: lastUserText(request.contents),
    promptTokens,
    cachedTokens: previous === undefined ? 0 : Math.min(previous, promptTokens),
    book: state.signatures,
    credits,
    json: request.json,
    search: request.search,
  });
  const errorBody = outcome?.kind === 'error' ? presetError(outcome, presetContext).body : undefined;
  const options = writeOptions(outcome, state, errorBody);
  if (!credits && outcome?.kind !== 'error' && !state.unmeteredQuota) consumeQuota(account, model, now);

  if (!stream) return writeNonStream(ex, plan.merged, options);
  const sse = ex.url.searchParams.get('alt') === 'sse' || ex.url.searchParams.get('$alt') === 'sse';
  return sse ? writeSse(ex, plan.events, options) : writeJsonArray(ex, plan.events, options);
}
