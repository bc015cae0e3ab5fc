/**
 * Background work (product.md §4): requests no user waits on the quality of — Claude Code's titles,
 * topic detection, short summaries, prompt suggestions — that can go to a cheap model instead of
 * spending Claude or Pro quota. Recognition errs towards "not background": a wrongly routed real
 * request costs the user far more than a missed title request costs the pool.
 */
import { resolveModel, type ModelDecision, type ResolveContext } from './resolve.ts';
import { normalizeModelName } from './names.ts';

export type ClientProtocol = 'anthropic' | 'openai' | 'gemini';

export interface RequestFeatures {
  protocol: ClientProtocol;
  systemTexts: readonly string[];
  /** The first and the last user text. */
  userTexts: readonly string[];
  maxTokens?: number;
  toolCount: number;
  headers?: Readonly<Record<string, string | undefined>>;
}

export interface BackgroundVerdict {
  background: boolean;
  reason?: string;
}

export interface BackgroundRouting {
  enabled: boolean;
  model: string;
}

/**
 * A title needs a few dozen tokens; Claude Code asks for 512. Anything above this is a real answer
 * that happens to mention a title.
 */
export const TINY_MAX_TOKENS = 1024;

/**
 * Helper prompts open their text; scanning a bounded head keeps the check cheap on 100 KB system
 * prompts and keeps a phrase quoted deep inside a conversation from counting.
 */
const HEAD_CHARS = 4096;

/**
 * Claude Code's tool-less helper prompts, as sent in a system block (public captures of Claude Code
 * 0.2 – 2.1: `shaneholloman/claude-code-prompts`, proxies that recognise the same requests).
 */
const CLAUDE_CODE_SYSTEM_MARKERS: readonly (readonly [string, string])[] = [
  ['analyze if this message indicates a new conversation topic', 'claude-code topic detection'],
  ['summarize this coding conversation in under', 'claude-code conversation summary'],
  ['generate a concise, sentence-case title', 'claude-code session title'],
  ['you are coming up with a succinct title and git branch name', 'claude-code session title'],
  ['generate a short kebab-case name', 'claude-code session name'],
  // Claude Code 2.1.3xx: the session title, asked with a JSON schema and the main model's max_tokens.
  ['you are naming a coding session', 'claude-code session title'],
];

/** Opening of the last user message of Claude Code's helper turns; these keep the main tools for cache reuse. */
const CLAUDE_CODE_LAST_USER_MARKERS: readonly (readonly [string, string])[] = [
  ['[suggestion mode:', 'claude-code prompt suggestion'],
  ['the user stepped away and is coming back', 'claude-code away summary'],
];

/**
 * "write/generate/… a (short|5-10 word|…) title", with only qualifiers in between, and not followed by
 * a UI word: "Create a React component that renders a title" or "set the title attribute" stay out.
 */
const TITLE_REQUEST =
  /\b(?:write|generate|create|suggest|propose|give(?:\s+me)?|produce|come\s+up\s+with|craft|provide|return|extract)\s+(?:(?:a|an|one|the|short|concise|brief|succinct|catchy|clear|descriptive|fitting|suitable|good|single|sentence-case|\d+(?:\s*(?:-|\u2013|to)\s*\d+)?[\s-]+words?(?:[\s-]+or[\s-]+(?:less|fewer))?)[,\s]+){0,5}(?:conversation\s+|chat\s+|session\s+)?title\b(?!\s*(?:component|tag|attribute|element|bar|case|field|prop|property|page|screen|slide)s?\b)/i;

const LEADING_REMINDERS = /^\s*(?:<system-reminder>[\s\S]*?<\/system-reminder>\s*)*/;

/** Lower-cased opening of a text, after the `<system-reminder>` blocks Claude Code puts first. */
function head(text: string): string {
  return text
    .replace(LEADING_REMINDERS, '')
    .slice(0, HEAD_CHARS)
    .toLowerCase()
    .replace(/\u2013/g, '-');
}

function header(headers: RequestFeatures['headers'], name: string): string | undefined {
  if (headers === undefined) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Without headers we cannot tell, so only the protocol decides; with them, they must not name another client. */
function mayBeClaudeCode(features: RequestFeatures): boolean {
  if (features.protocol !== 'anthropic') return false;
  const agent = header(features.headers, 'user-agent');
  const app = header(features.headers, 'x-app');
  if (agent === undefined && app === undefined) return true;
  return app === 'cli' || (agent?.startsWith('claude-cli/') ?? false);
}

function claudeCodeShapes(
  features: RequestFeatures,
  firstUser: string,
  lastUser: string,
): string | undefined {
  if (!mayBeClaudeCode(features)) return undefined;
  // Sub-agent cache warm-up: its answer is thrown away.
  if (firstUser.trim() === 'Warmup' && lastUser.trim() === 'Warmup') return 'claude-code warmup';
  // Start-up quota check: `{"max_tokens":1,"messages":[{"role":"user","content":"quota"}]}`, no system, no tools.
  if (
    features.maxTokens === 1 &&
    features.toolCount === 0 &&
    features.systemTexts.every((text) => text.trim() === '') &&
    lastUser.trim() === 'quota'
  ) {
    return 'claude-code quota probe';
  }
  return undefined;
}

export function isBackgroundRequest(features: RequestFeatures): BackgroundVerdict {
  const firstUser = features.userTexts[0] ?? '';
  const lastUser = features.userTexts[features.userTexts.length - 1] ?? '';
  const systemHeads = features.systemTexts.map(head);
  const lastHead = head(lastUser);

  if (features.toolCount === 0) {
    for (const [marker, reason] of CLAUDE_CODE_SYSTEM_MARKERS) {
      if (systemHeads.some((text) => text.includes(marker))) return { background: true, reason };
    }
  }
  for (const [marker, reason] of CLAUDE_CODE_LAST_USER_MARKERS) {
    if (lastHead.startsWith(marker)) return { background: true, reason };
  }
  const shape = claudeCodeShapes(features, firstUser, lastUser);
  if (shape !== undefined) return { background: true, reason: shape };

  if (features.toolCount === 0 && features.maxTokens !== undefined && features.maxTokens <= TINY_MAX_TOKENS) {
    if (TITLE_REQUEST.test(lastHead) || systemHeads.some((text) => TITLE_REQUEST.test(text))) {
      return { background: true, reason: `title request (no tools, max_tokens ${features.maxTokens})` };
    }
  }
  return { background: false };
}

/** An image request asked for pictures; a text model cannot stand in for it. */
const IMAGE_MODEL = /image/;

/**
 * Applies `routing.background`. With a context, the configured model goes through the same
 * resolution (aliases, deprecations) as a client's, so an upstream rename does not break routing.
 */
export function routeModel(
  decision: ModelDecision,
  background: boolean | BackgroundVerdict,
  settings: BackgroundRouting,
  context?: ResolveContext,
): ModelDecision {
  const verdict = typeof background === 'boolean' ? { background } : background;
  if (!settings.enabled || !verdict.background || IMAGE_MODEL.test(decision.upstream)) return decision;
  const model =
    context === undefined
      ? normalizeModelName(settings.model)
      : resolveModel(settings.model, context).upstream;
  if (model === '' || model === decision.upstream) return decision;
  const routed: ModelDecision = { ...decision, upstream: model, routed: true, rule: `background → ${model}` };
  if (verdict.reason !== undefined) routed.backgroundReason = verdict.reason;
  return routed;
}
