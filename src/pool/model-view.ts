import type { PoolAccount, PoolAccountStatus } from './types.ts';

/** Marks a quota that is not known; below every known fraction, so ranking puts it last for free. */
export const UNKNOWN_FRACTION = -1;

/** The pool's own mutable copy of an account. Slots point at it, so in-place updates reach every view. */
export interface PoolEntry {
  id: string;
  email: string;
  enabled: boolean;
  status: PoolAccountStatus;
  /** enabled and status ok: precomputed because selection reads it for every account. */
  usable: boolean;
  isCurrent: boolean;
  order: number;
  lastUsedAt: number | null;
  models: ReadonlySet<string> | undefined;
  /** Known fractions by model; a model missing here is unknown. */
  quotas: Map<string, number>;
}

/**
 * One account as seen for one model: the fields selection compares, flattened so that the scan over
 * thousands of accounts reads plain properties instead of doing map look-ups.
 */
export interface Slot {
  entry: PoolEntry;
  fraction: number;
  coolUntil: number;
}

export interface ModelView {
  model: string;
  /** Accounts that offer the model, by (order, id): the rotation order and the final tie-break. */
  slots: Slot[];
  byAccount: Map<string, Slot>;
}

export function entryFrom(account: PoolAccount): PoolEntry {
  return {
    id: account.id,
    email: account.email,
    enabled: account.enabled,
    status: account.status,
    usable: account.enabled && account.status === 'ok',
    isCurrent: account.isCurrent,
    order: account.order,
    lastUsedAt: account.lastUsedAt,
    models: account.models,
    quotas: new Map(),
  };
}

export const offers = (entry: PoolEntry, model: string): boolean =>
  entry.models === undefined || entry.models.has(model);

export function sameModels(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.size !== b.size) return false;
  for (const model of a) if (!b.has(model)) return false;
  return true;
}

const byOrder = (a: Slot, b: Slot): number =>
  a.entry.order - b.entry.order || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0);

/** Index of the first slot ordered after `slot`; `slot` itself need not be in the view any more. */
export function indexAfter(view: ModelView, slot: Slot): number {
  let low = 0;
  let high = view.slots.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byOrder(view.slots[middle]!, slot) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Per-model views, built on first use. Adding, removing or reordering an account patches the built
 * views (one splice each) instead of rebuilding them: a rebuild at 10,000 accounts costs milliseconds,
 * a splice microseconds. Everything that changes per request is updated in place in the slots.
 */
export class ModelViews {
  private readonly views = new Map<string, ModelView>();
  private readonly entries: ReadonlyMap<string, PoolEntry>;
  private readonly coolUntil: (accountId: string, model: string) => number;

  constructor(
    entries: ReadonlyMap<string, PoolEntry>,
    coolUntil: (accountId: string, model: string) => number,
  ) {
    this.entries = entries;
    this.coolUntil = coolUntil;
  }

  get(model: string): ModelView {
    let view = this.views.get(model);
    if (view === undefined) {
      view = this.build(model);
      this.views.set(model, view);
    }
    return view;
  }

  /** The slot of (account, model) if that view exists; a view built later reads the entry anyway. */
  existingSlot(accountId: string, model: string): Slot | undefined {
    return this.views.get(model)?.byAccount.get(accountId);
  }

  /** Takes an account out of every built view; call before changing its order or model list. */
  takeOut(accountId: string): void {
    for (const view of this.views.values()) {
      const slot = view.byAccount.get(accountId);
      if (slot === undefined) continue;
      view.byAccount.delete(accountId);
      view.slots.splice(view.slots.indexOf(slot), 1);
    }
  }

  /** Puts an account into every built view of a model it offers, at its place in the order. */
  putIn(entry: PoolEntry): void {
    for (const view of this.views.values()) {
      if (!offers(entry, view.model) || view.byAccount.has(entry.id)) continue;
      const slot = this.slotFor(entry, view.model);
      view.slots.splice(indexAfter(view, slot), 0, slot);
      view.byAccount.set(entry.id, slot);
    }
  }

  private slotFor(entry: PoolEntry, model: string): Slot {
    return {
      entry,
      fraction: entry.quotas.get(model) ?? UNKNOWN_FRACTION,
      coolUntil: this.coolUntil(entry.id, model),
    };
  }

  private build(model: string): ModelView {
    const slots: Slot[] = [];
    for (const entry of this.entries.values()) {
      if (offers(entry, model)) slots.push(this.slotFor(entry, model));
    }
    slots.sort(byOrder);
    return { model, slots, byAccount: new Map(slots.map((slot) => [slot.entry.id, slot])) };
  }
}
