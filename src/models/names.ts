/** Model-name helpers shared by resolution and the client model list. */

/** AM's rule; CPA skips the same internal ids (`chat_…`, `tab_…`) — wire.md §2.5. */
const PUBLIC_MODEL_ID = /^(gemini|claude|gpt|image|imagen)/i;

/** Gemini routes carry `models/`; Claude Code appends its context size (`claude-sonnet-4-5-20250929[1m]`). */
const MODELS_PREFIX = /^models\//i;
const BRACKET_SUFFIX = /(?:\s*\[[^[\]]*\])+$/;

/**
 * The name every lookup uses: trimmed, without `models/` and bracketed suffixes, lower case.
 * Lower case because every provider's ids are, and clients differ in how they spell them.
 */
export function normalizeModelName(name: string): string {
  return name.trim().replace(MODELS_PREFIX, '').replace(BRACKET_SUFFIX, '').trim().toLowerCase();
}

export function isPublicModelId(id: string): boolean {
  return PUBLIC_MODEL_ID.test(id);
}
