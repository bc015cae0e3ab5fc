/**
 * The lineup clients see before any account has reported its models (wire.md §2.5, CPA's registry
 * of 2026-08). Only a stand-in: once `fetchAvailableModels` has answered, the accounts' own list wins.
 */

export interface FallbackModel {
  id: string;
  displayName: string;
  /** Context window, in tokens. */
  maxTokens?: number;
  maxOutputTokens?: number;
}

export const FALLBACK_MODELS: readonly Readonly<FallbackModel>[] = [
  {
    id: 'claude-opus-4-6-thinking',
    displayName: 'Claude Opus 4.6 (Thinking)',
    maxTokens: 200_000,
    maxOutputTokens: 64_000,
  },
  {
    id: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6 (Thinking)',
    maxTokens: 200_000,
    maxOutputTokens: 64_000,
  },
  { id: 'gemini-3-flash', displayName: 'Gemini 3 Flash', maxTokens: 1_048_576, maxOutputTokens: 65_536 },
  {
    id: 'gemini-3-flash-agent',
    displayName: 'Gemini 3.5 Flash (High)',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_536,
  },
  {
    id: 'gemini-3.6-flash-high',
    displayName: 'Gemini 3.6 Flash',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_536,
  },
  {
    id: 'gemini-3.7-flash-high',
    displayName: 'Gemini 3.7 Flash',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_536,
  },
  {
    id: 'gemini-pro-agent',
    displayName: 'Gemini 3.1 Pro (High)',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_535,
  },
  {
    id: 'gemini-3.1-pro-low',
    displayName: 'Gemini 3.1 Pro (Low)',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_535,
  },
  {
    id: 'gemini-3.5-flash-low',
    displayName: 'Gemini 3.5 Flash (Medium)',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_535,
  },
  {
    id: 'gemini-3.5-flash-extra-low',
    displayName: 'Gemini 3.5 Flash (Low)',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_535,
  },
  {
    id: 'gemini-3.1-flash-lite',
    displayName: 'Gemini 3.1 Flash Lite',
    maxTokens: 1_048_576,
    maxOutputTokens: 65_535,
  },
  { id: 'gemini-3.1-flash-image', displayName: 'Gemini 3.1 Flash Image' },
  {
    id: 'gpt-oss-120b-medium',
    displayName: 'GPT-OSS 120B (Medium)',
    maxTokens: 114_000,
    maxOutputTokens: 32_768,
  },
];

export const FALLBACK_MODEL_IDS: ReadonlySet<string> = new Set(FALLBACK_MODELS.map((model) => model.id));
