import type { ClientModel } from '../../models/catalog.ts';

/** The public Gemini `Model` shape (wire.md §3) for one client-visible model. */
export function toGeminiModel(model: ClientModel): Record<string, unknown> {
  return {
    name: `models/${model.id}`,
    baseModelId: model.id,
    version: '001',
    displayName: model.displayName,
    description: 'Served through Better Manager (Antigravity)',
    inputTokenLimit: model.maxTokens ?? 1_048_576,
    outputTokenLimit: model.maxOutputTokens ?? 65_536,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    temperature: 1,
    maxTemperature: 2,
    topP: 0.95,
    topK: 64,
  };
}
