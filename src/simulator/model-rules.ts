import { checkClaudeDeclarations } from './claude-declarations.ts';
import { claudeError, rpcError } from './rpc-errors.ts';
import { SIGNATURE_SENTINELS, type SignatureBook } from './signatures.ts';
import type { SimModelFixture, SimRules } from './types.ts';
import { reject } from './validate-common.ts';
import type { Content } from './validate-contents.ts';
import type { GenerateRequest } from './validate-request.ts';

/**
 * What the model behind v1internal refuses (wire.md §2.12 for Claude, §2.13 for Gemini): thinking
 * ranges, output caps, tool-id pairing and replayed signatures. Each is a 400 upstream.
 */

const CLAUDE_LEVELS = ['low', 'medium', 'high'];
const AGENT_SDK_IDENTITY = "You are a Claude agent, built on Anthropic's Claude Agent SDK.";
const EMPTY_TEXT =
  'Unable to submit request because it has an empty text parameter. Add a value to the parameter and try again.';

function checkMaxOutput(model: SimModelFixture, request: GenerateRequest, seed: string): void {
  const max = model.maxOutputTokens;
  const asked = request.maxOutputTokens;
  if (max === undefined || asked === undefined || asked <= max) return;
  if (model.family === 'claude') {
    reject(
      claudeError(
        `max_tokens: ${asked} > ${max}, which is the maximum allowed number of output tokens for ${model.id}`,
        seed,
      ),
    );
  }
  reject(
    rpcError(
      400,
      `Unable to submit request because it has a maxOutputTokens value of ${asked} but the supported range is from 1 (inclusive) to ${max + 1} (exclusive). Update the value and try again.`,
    ),
  );
}

function checkThinking(model: SimModelFixture, request: GenerateRequest, seed: string): void {
  const { budget, level } = request.thinking;
  const range = model.thinking;
  if (level !== undefined) {
    const levels = model.family === 'claude' ? CLAUDE_LEVELS : (range?.levels ?? []);
    if (!levels.includes(level)) {
      reject(
        rpcError(
          400,
          `Thinking level ${level} is not supported for ${model.id}. Supported levels: ${levels.join(', ') || 'none'}.`,
        ),
      );
    }
  }
  if (budget === undefined || budget === -1 || !range) return;
  if (budget === 0 && range.zeroAllowed) return;
  if (model.family === 'claude') {
    if (budget < range.min) {
      reject(
        claudeError(
          `thinking.enabled.budget_tokens: Input should be greater than or equal to ${range.min}`,
          seed,
        ),
      );
    }
    const maxTokens = request.maxOutputTokens ?? model.maxOutputTokens ?? Infinity;
    if (budget >= maxTokens) {
      reject(
        claudeError(
          '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size',
          seed,
        ),
      );
    }
    return;
  }
  if (budget < range.min || budget > range.max) {
    reject(
      rpcError(
        400,
        `The thinking budget ${budget} is invalid. Please choose a value between ${range.min} and ${range.max}.`,
      ),
    );
  }
}

function checkClaudeTools(contents: Content[], seed: string): void {
  contents.forEach((content, i) => {
    const callIds: string[] = [];
    content.parts.forEach((part, j) => {
      if (part.functionCall) {
        if (content.role !== 'model')
          reject(
            claudeError(
              `messages.${i}.content.${j}: tool_use blocks are only allowed in assistant messages`,
              seed,
            ),
          );
        if (!part.functionCall.id)
          reject(claudeError(`messages.${i}.content.${j}.tool_use.id: Field required`, seed));
        callIds.push(part.functionCall.id);
      }
      if (part.functionResponse) {
        if (!part.functionResponse.id) {
          reject(claudeError(`messages.${i}.content.${j}.tool_result.tool_use_id: Field required`, seed));
        }
        const previous = contents[i - 1];
        const known =
          previous?.role === 'model' &&
          previous.parts.some((p) => p.functionCall?.id === part.functionResponse?.id);
        if (content.role !== 'user' || !known) {
          reject(
            claudeError(
              `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${part.functionResponse.id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
              seed,
            ),
          );
        }
      }
    });
    if (callIds.length === 0) return;
    const answered = new Set((contents[i + 1]?.parts ?? []).map((p) => p.functionResponse?.id));
    const missing = callIds.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      reject(
        claudeError(
          `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
          seed,
        ),
      );
    }
  });
}

/**
 * Consecutive thought parts form one thinking block; its signature must be one issued for that
 * exact text, to this account: a signature from another account's project does not verify.
 */
function checkClaudeThinking(contents: Content[], book: SignatureBook, seed: string, email: string): void {
  contents.forEach((content, i) => {
    if (content.role !== 'model') return;
    let start = -1;
    let text = '';
    content.parts.forEach((part, j) => {
      if (part.thought !== true) {
        if (start >= 0)
          reject(claudeError(`messages.${i}.content.${start}.thinking.signature: Field required`, seed));
        return;
      }
      if (start < 0) start = j;
      text += part.text ?? '';
      if (part.thoughtSignature === undefined) return;
      const issued = book.lookup(part.thoughtSignature);
      if (issued?.family !== 'claude' || issued.thinkingText !== text || issued.email !== email) {
        reject(
          claudeError(`messages.${i}.content.${start}: Invalid \`signature\` in \`thinking\` block`, seed),
        );
      }
      start = -1;
      text = '';
    });
    if (start >= 0)
      reject(claudeError(`messages.${i}.content.${start}.thinking.signature: Field required`, seed));
  });
}

function checkClaude(
  model: SimModelFixture,
  request: GenerateRequest,
  book: SignatureBook,
  seed: string,
  email: string,
): void {
  const all = request.system ? [request.system, ...request.contents] : request.contents;
  for (const [i, content] of all.entries()) {
    for (const [j, part] of content.parts.entries()) {
      if (part.text === '') {
        const where =
          content === request.system
            ? `system.${j}`
            : `messages.${i - (request.system ? 1 : 0)}.content.${j}`;
        reject(claudeError(`${where}: text content blocks must be non-empty`, seed));
      }
    }
  }
  checkClaudeDeclarations(model, request, seed);
  checkClaudeTools(request.contents, seed);
  checkClaudeThinking(request.contents, book, seed, email);
}

function checkGemini(model: SimModelFixture, request: GenerateRequest, book: SignatureBook): void {
  if (request.contents[0]?.role !== 'user') {
    reject(
      rpcError(
        400,
        'Please ensure that multiturn requests alternate between user and model. The first turn must be a user turn.',
      ),
    );
  }
  for (const content of request.contents) {
    for (const part of content.parts) {
      if (part.text === '' && part.thoughtSignature === undefined) reject(rpcError(400, EMPTY_TEXT));
    }
  }
  if (model.family !== 'gemini-3') return;
  request.contents.forEach((content, i) => {
    if (content.role !== 'model') return;
    const first = content.parts.find((p) => p.functionCall);
    if (!first?.functionCall) return;
    const signature = first.thoughtSignature;
    if (signature === undefined) {
      reject(
        rpcError(
          400,
          `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${first.functionCall.name}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
        ),
      );
    }
    if (SIGNATURE_SENTINELS.has(signature)) return;
    if (book.lookup(signature)?.family !== 'gemini-3') {
      reject(
        rpcError(
          400,
          'Unable to submit request because Thought signature is not valid.. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/thinking',
        ),
      );
    }
  });
}

/** Applies the family's rule set unless `rules` switches it off (SimRules). */
export function enforceModelRules(
  model: SimModelFixture,
  request: GenerateRequest,
  book: SignatureBook,
  seed: string,
  rules: SimRules,
  /** The account the request came from: Claude signatures verify only on the account that got them. */
  email: string,
): void {
  const claude = model.family === 'claude';
  if (claude ? rules.claude : rules.gemini) {
    checkMaxOutput(model, request, seed);
    checkThinking(model, request, seed);
    if (claude) checkClaude(model, request, book, seed, email);
    else checkGemini(model, request, book);
  }
  // Not a request rule: what Antigravity answers to the Agent SDK's identity line.
  if (claude && request.system?.parts.some((p) => p.text?.trim() === AGENT_SDK_IDENTITY)) {
    reject(rpcError(429, 'Resource has been exhausted (e.g. check quota).'));
  }
}

/** Whether the reply shows thought parts: asked for, and not switched off (Claude needs a budget or level). */
export function wantsThoughts(model: SimModelFixture, request: GenerateRequest): boolean {
  const { includeThoughts, budget, level } = request.thinking;
  if (includeThoughts !== true || budget === 0 || !model.thinking) return false;
  return model.family !== 'claude' || budget !== undefined || level !== undefined;
}
