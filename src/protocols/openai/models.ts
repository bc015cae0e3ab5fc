import type { ClientModel } from '../../models/catalog.ts';

/** 2026-01-01 in seconds: the upstream tells no release dates, and clients only display this field. */
const CREATED = 1_767_225_600;

function ownerOf(id: string): string {
  if (id.startsWith('claude')) return 'anthropic';
  if (id.startsWith('gpt')) return 'openai';
  return 'google';
}

/** The OpenAI `Model` shape (wire.md §5.5). */
export function toOpenAIModel(model: ClientModel): Record<string, unknown> {
  return { id: model.id, object: 'model', created: CREATED, owned_by: ownerOf(model.id) };
}

export function openaiModelList(models: readonly ClientModel[]): Record<string, unknown> {
  return { object: 'list', data: models.map(toOpenAIModel) };
}
