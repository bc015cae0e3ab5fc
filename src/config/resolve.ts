import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { mergeLayers, type Layer } from './layers.ts';
import { settingsSchema, type Settings, type SettingsLayer } from './schema.ts';
import { isPlainObject } from '../util/json.ts';

/** A setting that cannot be used; `key` is the dotted path, e.g. "scheduling.mode". */
export class SettingsError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(message);
    this.name = 'SettingsError';
    this.key = key;
  }
}

function describeIssue(issue: z.core.$ZodIssue, layer: Layer | undefined): SettingsError {
  let path = issue.path.map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys.map((k) => (path ? `${path}.${k}` : k));
    path = unknown[0] ?? path;
    message = `unknown setting (check the spelling; valid keys are listed in the README)`;
  }
  const origin = findOrigin(layer, path);
  const where = origin ? `${layer?.kind === 'flag' ? 'flag' : 'variable'} ${origin}` : layer?.label;
  const key = path || '(root)';
  return new SettingsError(
    key,
    `Invalid setting "${key}"${where ? ` from ${where}` : ''}: ${message}${formatReceived(layer, path)}`,
  );
}

/** The variable or flag behind a key; list items ("upstream.baseUrls.0") belong to their list's source. */
function findOrigin(layer: Layer | undefined, path: string): string | undefined {
  const parts = path.split('.');
  for (let length = parts.length; length > 0; length--) {
    const origin = layer?.origins?.get(parts.slice(0, length).join('.'));
    if (origin) return origin;
  }
  return undefined;
}

function formatReceived(layer: Layer | undefined, path: string): string {
  if (!layer || !path) return '';
  let node: unknown = layer.values;
  for (const part of path.split('.')) node = isPlainObject(node) ? node[part] : undefined;
  if (node === undefined || layer.kind === 'stored') return '';
  if (path.toLowerCase().includes('password') || path.toLowerCase().includes('secret')) return '';
  const shown = JSON.stringify(node);
  return shown && shown.length <= 80 ? ` (got ${shown})` : '';
}

/** Validates one source on its own, so that an error names the source that holds the bad value. */
export function validateLayer(layer: Layer): void {
  const result = settingsSchema.safeParse(layer.values);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue) throw describeIssue(issue, layer);
  }
}

/** Layers in precedence order, lowest first: stored, file, env, flags. */
export function resolveSettings(layers: Layer[]): Settings {
  for (const layer of layers) validateLayer(layer);
  const merged = mergeLayers(...layers.map((layer) => layer.values));
  const result = settingsSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw describeIssue(issue!, undefined);
  }
  return result.data;
}

/** Reads a JSON config file. A missing file is an empty layer unless the user named it explicitly. */
export function readConfigFile(path: string, explicit: boolean): Layer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return { kind: 'file', label: `config file ${path}`, values: {} };
    throw new SettingsError('config', `Cannot read config file ${path}: ${code ?? String(error)}`);
  }
  let values: unknown;
  try {
    values = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new SettingsError('config', `Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(values)) {
    throw new SettingsError('config', `Config file ${path} must hold a JSON object`);
  }
  return { kind: 'file', label: `config file ${path}`, values: values as SettingsLayer };
}
