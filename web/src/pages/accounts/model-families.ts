import type { ModelQuotaView } from './types.ts';

/** The families product.md §6 names; a model fits the first that matches. */
export type ModelFamily = 'geminiPro' | 'geminiFlash' | 'claude' | 'image' | 'other';

export const FAMILY_ORDER: readonly ModelFamily[] = ['geminiPro', 'geminiFlash', 'claude', 'image', 'other'];

/** Above this many models an account's quota is shown by family, each family opening to its models. */
export const GROUP_ABOVE = 4;

export function familyOf(model: string): ModelFamily {
  const id = model.toLowerCase();
  // Image models carry "flash" or "pro" too; their quota is spent on images, so they stand apart.
  if (id.includes('image')) return 'image';
  if (id.startsWith('claude')) return 'claude';
  if (id.includes('gemini') && id.includes('pro')) return 'geminiPro';
  if (id.includes('gemini') && id.includes('flash')) return 'geminiFlash';
  return 'other';
}

export interface FamilyGroup {
  family: ModelFamily;
  models: ModelQuotaView[];
  /** The lowest known percentage in the family: what runs out first. Null when none is known. */
  lowestPercent: number | null;
  unknownCount: number;
}

export function groupByFamily(models: readonly ModelQuotaView[]): FamilyGroup[] {
  return FAMILY_ORDER.map((family) => {
    const members = models.filter((quota) => familyOf(quota.model) === family);
    const known = members.flatMap((quota) => (quota.status === 'known' ? [quota.percent] : []));
    return {
      family,
      models: members,
      lowestPercent: known.length > 0 ? Math.min(...known) : null,
      unknownCount: members.length - known.length,
    };
  }).filter((group) => group.models.length > 0);
}
