import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configurationReference, SETTING_DESCRIPTIONS, settingKeys } from '../../src/config/reference.ts';
import { ROOT } from '../helpers/cli.ts';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('shows the two commands a new user needs', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(readme).toMatch(/Node\.js 22\.13 or newer/);
  });

  it('has the configuration reference generated from the current schema', () => {
    const block = /<!-- config-reference:start[^>]*-->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(
      readme,
    );
    expect(block?.[1]).toBe(configurationReference());
  });

  it('describes every setting of the schema', () => {
    const keys = settingKeys();
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((key) => !SETTING_DESCRIPTIONS[key])).toEqual([]);
    expect(Object.keys(SETTING_DESCRIPTIONS).filter((key) => !keys.includes(key))).toEqual([]);
  });
});
