/**
 * Client model name → upstream model id (product.md §4). Runs on every request of every protocol,
 * so everything derived from the settings is computed once per settings object and cached by identity.
 */
import { FALLBACK_MODEL_IDS } from './fallback.ts';
import { globToRegExp, isGlob } from './glob.ts';
import { normalizeModelName } from './names.ts';

export interface ModelRule {
  match: string;
  target: string;
}

export interface ResolveContext {
  /** `models.mapping`: ordered, first match wins. */
  mapping: readonly ModelRule[];
  /** `models.aliases`: client name → upstream id. */
  aliases: Readonly<Record<string, string>>;
  /** `fetchAvailableModels` `deprecatedModelIds`: old id → new id. */
  deprecated: Readonly<Record<string, string>>;
  /** Ids the accounts report; empty before the first quota fetch. */
  upstreamIds: ReadonlySet<string>;
}

export interface ModelDecision {
  requested: string;
  normalized: string;
  upstream: string;
  /** Why `upstream` was chosen: `alias`, `exact`, `<match> → <target>`, `deprecated`, `background → <id>`; absent = passed through. */
  rule?: string;
  /** Set by {@link routeModel} when background routing replaced the upstream model. */
  routed?: boolean;
  backgroundReason?: string;
}

/** Enough for any real deprecation chain; only a misconfigured upstream map goes further. */
const MAX_FORWARDING_HOPS = 8;

/**
 * Model names are short; a client could still send a huge one, and a user glob with many stars
 * backtracks polynomially on it. Such a name skips the globs and fails upstream with a clear error.
 */
const MAX_GLOB_INPUT = 256;

interface CompiledRule {
  label: string;
  target: string;
  matches: (name: string) => boolean;
}

function compileRule(rule: ModelRule): CompiledRule {
  const match = rule.match.trim();
  const target = normalizeModelName(rule.target);
  const label = `${match} → ${target}`;
  if (match === '' || target === '') return { label, target, matches: () => false };
  if (!isGlob(match)) {
    const exact = normalizeModelName(match);
    return { label, target, matches: (name) => name === exact };
  }
  const regexp = globToRegExp(match.toLowerCase());
  return { label, target, matches: (name) => name.length <= MAX_GLOB_INPUT && regexp.test(name) };
}

const compiledRules = new WeakMap<readonly ModelRule[], readonly CompiledRule[]>();

/**
 * Settings are replaced, not mutated, when they change (live config), so the list's identity is the key;
 * the length check only catches an in-place push or splice.
 */
function rulesOf(mapping: readonly ModelRule[]): readonly CompiledRule[] {
  let compiled = compiledRules.get(mapping);
  if (compiled === undefined || compiled.length !== mapping.length) {
    compiled = mapping.map(compileRule);
    compiledRules.set(mapping, compiled);
  }
  return compiled;
}

interface LowerMap {
  keys: number;
  map: ReadonlyMap<string, string>;
}

const lowerMaps = new WeakMap<object, LowerMap>();

function lowerMapOf(record: Readonly<Record<string, string>>): ReadonlyMap<string, string> {
  const cached = lowerMaps.get(record);
  const keys = Object.keys(record);
  if (cached !== undefined && cached.keys === keys.length) return cached.map;
  const map = new Map<string, string>();
  for (const key of keys) {
    const from = normalizeModelName(key);
    const to = normalizeModelName(record[key] ?? '');
    if (from !== '' && to !== '') map.set(from, to);
  }
  lowerMaps.set(record, { keys: keys.length, map });
  return map;
}

const lowerSets = new WeakMap<ReadonlySet<string>, { size: number; set: ReadonlySet<string> }>();

/** Before the first quota fetch the built-in lineup stands in, so a current id is never rewritten by a glob. */
function knownIdsOf(upstreamIds: ReadonlySet<string>): ReadonlySet<string> {
  if (upstreamIds.size === 0) return FALLBACK_MODEL_IDS;
  const cached = lowerSets.get(upstreamIds);
  if (cached !== undefined && cached.size === upstreamIds.size) return cached.set;
  const set = new Set([...upstreamIds].map(normalizeModelName));
  lowerSets.set(upstreamIds, { size: upstreamIds.size, set });
  return set;
}

interface Choice {
  upstream: string;
  rule?: string;
  /** Index in `mapping` of the rule that decided; absent when an alias, an exact id or pass-through did. */
  ruleIndex?: number;
}

function choose(name: string, context: ResolveContext): Choice {
  if (name === '') return { upstream: name };
  const alias = lowerMapOf(context.aliases).get(name);
  if (alias !== undefined) return { upstream: alias, rule: 'alias' };
  if (knownIdsOf(context.upstreamIds).has(name)) return { upstream: name, rule: 'exact' };
  const rules = rulesOf(context.mapping);
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.matches(name)) return { upstream: rule.target, rule: rule.label, ruleIndex: index };
  }
  return { upstream: name };
}

/** Follows `deprecatedModelIds` to the id the upstream serves now; a loop stops at the last new id. */
function forward(id: string, deprecated: Readonly<Record<string, string>>): { id: string; hops: number } {
  const map = lowerMapOf(deprecated);
  const seen = new Set([id]);
  let current = id;
  for (let hops = 0; hops < MAX_FORWARDING_HOPS; hops++) {
    const next = map.get(current);
    if (next === undefined || seen.has(next)) return { id: current, hops };
    seen.add(next);
    current = next;
  }
  return { id: current, hops: MAX_FORWARDING_HOPS };
}

function decisionOf(
  requested: string,
  normalized: string,
  chosen: Choice,
  context: ResolveContext,
): ModelDecision {
  const forwarded = forward(chosen.upstream, context.deprecated);
  const decision: ModelDecision = { requested, normalized, upstream: forwarded.id };
  if (forwarded.hops > 0)
    decision.rule = chosen.rule === undefined ? 'deprecated' : `${chosen.rule}, deprecated`;
  else if (chosen.rule !== undefined) decision.rule = chosen.rule;
  return decision;
}

/** Order: alias → exact upstream id → mapping rules (first match) → pass-through; then deprecation forwarding. */
export function resolveModel(requested: string, context: ResolveContext): ModelDecision {
  const normalized = normalizeModelName(requested);
  return decisionOf(requested, normalized, choose(normalized, context), context);
}

/**
 * {@link resolveModel} plus the index in `mapping` of the rule that matched (null when an alias, an
 * exact id or pass-through decided): the mapping editor highlights that rule.
 */
export function explainModel(
  requested: string,
  context: ResolveContext,
): { decision: ModelDecision; ruleIndex: number | null } {
  const normalized = normalizeModelName(requested);
  const chosen = choose(normalized, context);
  return {
    decision: decisionOf(requested, normalized, chosen, context),
    ruleIndex: chosen.ruleIndex ?? null,
  };
}

/** One line for log rows and the mapping editor's "test a name". */
export function describeDecision(decision: ModelDecision): string {
  const parts = [`${decision.requested} → ${decision.upstream}`, decision.rule ?? 'pass-through'];
  if (decision.routed === true)
    parts.push(`routed${decision.backgroundReason ? `: ${decision.backgroundReason}` : ''}`);
  return parts.join(' · ');
}
