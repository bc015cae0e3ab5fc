import type { SettingsLayer } from './schema.ts';
import { isPlainObject } from '../util/json.ts';

/** Where a layer of settings came from; used to name the source in error messages. */
export type SourceKind = 'flag' | 'env' | 'file' | 'stored';

export interface Layer {
  kind: SourceKind;
  /** Human description, e.g. "config file /home/a/config.json". */
  label: string;
  values: SettingsLayer;
  /** For env and flag layers: key path → the variable or flag that set it. */
  origins?: Map<string, string>;
}

/** Deep merge where later layers win; arrays and scalars are replaced, not merged. */
export function mergeLayers(...layers: SettingsLayer[]): SettingsLayer {
  const out: SettingsLayer = {};
  for (const layer of layers) mergeInto(out, layer);
  return out;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) {
      mergeInto(existing, value);
    } else if (isPlainObject(value)) {
      const copy: Record<string, unknown> = {};
      mergeInto(copy, value);
      target[key] = copy;
    } else {
      target[key] = value;
    }
  }
}

export function setPath(target: SettingsLayer, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isPlainObject(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}
