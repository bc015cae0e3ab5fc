import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeysTable } from '../../src/store/api-keys-table.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

function table(): { keys: ApiKeysTable; store: Store } {
  const store = new Store(join(tempDir(), 'keys.db'));
  migrate(store);
  return { keys: new ApiKeysTable(store), store };
}

describe('client API keys', () => {
  it('records when a key was last used, to the minute, without a write per request', () => {
    const { keys, store } = table();
    const created = keys.create('laptop');
    expect(keys.list()[0]!.lastUsedAt).toBeNull();

    const start = 1_800_000_000_000;
    expect(keys.match(created.key, start)).toBe(created.row.id);
    expect(keys.list()[0]!.lastUsedAt).toBe(start);
    keys.match(created.key, start + 30_000);
    expect(keys.list()[0]!.lastUsedAt).toBe(start);
    keys.match(created.key, start + 61_000);
    expect(keys.list()[0]!.lastUsedAt).toBe(start + 61_000);

    expect(keys.match('bm-not-a-key', start + 200_000)).toBeUndefined();
    expect(keys.list()[0]!.lastUsedAt).toBe(start + 61_000);
    store.close();
  });
});
