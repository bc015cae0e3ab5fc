import type { ClientModel } from '../../models/catalog.ts';

/** A fixed date: the upstream tells no release dates, and clients only display this field. */
const CREATED_AT = '2026-01-01T00:00:00Z';

/** The Messages API `Model` shape (wire.md §4.7). */
export function toAnthropicModel(model: ClientModel): Record<string, unknown> {
  return { type: 'model', id: model.id, display_name: model.displayName, created_at: CREATED_AT };
}

export function anthropicModelList(models: readonly ClientModel[]): Record<string, unknown> {
  return {
    data: models.map(toAnthropicModel),
    has_more: false,
    first_id: models[0]?.id ?? null,
    last_id: models.at(-1)?.id ?? null,
  };
}
