import { EventEmitter } from 'node:events';
import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from 'pino';
import type { SettingsTable } from '../store/settings-table.ts';
import { getPath, mergeLayers, type Layer } from './layers.ts';
import { readConfigFile, resolveSettings, SettingsError, validateLayer } from './resolve.ts';
import type { Settings, SettingsLayer } from './schema.ts';
import { isPlainObject } from '../util/json.ts';

export interface SettingsServiceOptions {
  table: SettingsTable;
  configPath: string;
  configExplicit: boolean;
  env: Layer;
  flags: Layer;
}

/** Sections that only take effect at start and that the dashboard may not write. */
const START_ONLY_SECTIONS = new Set(['server']);

/**
 * The live settings of the process: stored < config file < env < flags. Changes from the
 * dashboard or the config file are validated, applied at once and announced with 'change'.
 */
export class SettingsService extends EventEmitter<{ change: [Settings, Settings] }> {
  private readonly options: SettingsServiceOptions;
  private stored: Layer;
  private file: Layer;
  private settings: Settings;
  private watching = false;
  private logger: Logger | undefined;

  constructor(options: SettingsServiceOptions) {
    super();
    this.options = options;
    this.file = readConfigFile(options.configPath, options.configExplicit);
    this.stored = {
      kind: 'stored',
      label: 'settings saved from the dashboard',
      values: options.table.read(),
    };
    this.settings = resolveSettings(this.layers());
  }

  get current(): Settings {
    return this.settings;
  }

  get configPath(): string {
    return this.options.configPath;
  }

  private layers(): Layer[] {
    return [this.stored, this.file, this.options.env, this.options.flags];
  }

  /** Keys of `patch` that a higher-precedence source overrides, so the UI can say why a change has no effect. */
  overriddenKeys(): string[] {
    const keys: string[] = [];
    for (const layer of [this.file, this.options.env, this.options.flags]) {
      collectLeafKeys(layer.values, '', keys);
    }
    return [...new Set(keys)];
  }

  /**
   * Saves a partial settings tree from the dashboard; sections are merged into what is stored, and a
   * `null` removes a stored value (the default, or a lower source's value, applies again).
   */
  update(patch: SettingsLayer): Settings {
    for (const section of Object.keys(patch)) {
      if (START_ONLY_SECTIONS.has(section)) {
        throw new SettingsError(
          section,
          `Setting "${section}" can only be changed by flag, environment or config file`,
        );
      }
    }
    const next: Layer = { ...this.stored, values: withoutNulls(mergeLayers(this.stored.values, patch)) };
    validateLayer(next);
    const resolved = resolveSettings([next, this.file, this.options.env, this.options.flags]);
    const changedSections: SettingsLayer = {};
    for (const section of Object.keys(patch)) changedSections[section] = getPath(next.values, section);
    this.options.table.write(changedSections);
    this.stored = next;
    this.apply(resolved);
    return resolved;
  }

  /** Re-reads the config file; an invalid file is reported and the current settings stay. */
  reloadFile(): void {
    try {
      const file = readConfigFile(this.options.configPath, false);
      const resolved = resolveSettings([this.stored, file, this.options.env, this.options.flags]);
      this.file = file;
      this.apply(resolved);
      this.logger?.info({ path: this.options.configPath }, 'config file reloaded');
    } catch (error) {
      this.logger?.error(`config file not applied: ${(error as Error).message}`);
    }
  }

  /** Starts watching the config file; problems with later versions of it are reported to `logger`. */
  watchConfigFile(logger: Logger): void {
    this.logger = logger;
    if (this.watching) return;
    this.watching = true;
    watchFile(this.options.configPath, { interval: 1000, persistent: false }, (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) this.reloadFile();
    });
  }

  close(): void {
    if (this.watching) unwatchFile(this.options.configPath);
    this.watching = false;
    this.removeAllListeners();
  }

  private apply(next: Settings): void {
    const previous = this.settings;
    this.settings = next;
    if (JSON.stringify(previous) !== JSON.stringify(next)) this.emit('change', next, previous);
  }
}

function withoutNulls(node: SettingsLayer): SettingsLayer {
  const out: SettingsLayer = {};
  for (const [key, value] of Object.entries(node)) {
    if (value === null) continue;
    out[key] = isPlainObject(value) ? withoutNulls(value) : value;
  }
  return out;
}

function collectLeafKeys(node: unknown, prefix: string, out: string[]): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    if (prefix) out.push(prefix);
    return;
  }
  for (const [key, value] of Object.entries(node))
    collectLeafKeys(value, prefix ? `${prefix}.${key}` : key, out);
}
