import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountsTable, CROSS_PROCESS_CHECK_MS, type AccountRow } from '../../src/store/accounts-table.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

function account(id: string, overrides: Partial<AccountRow> = {}): AccountRow {
  return {
    id,
    email: `${id}@example.com`,
    displayName: null,
    refreshTokenEnc: 'sealed',
    accessTokenEnc: null,
    accessTokenExpiresAt: null,
    projectId: `project-${id}`,
    tier: 'pro',
    tierName: null,
    enabled: true,
    status: 'ok',
    statusReason: null,
    validationUrl: null,
    label: null,
    sortOrder: 0,
    isCurrent: false,
    createdAt: 1,
    updatedAt: 1,
    lastUsedAt: null,
    quotaFetchedAt: null,
    quotaError: null,
    ...overrides,
  };
}

const opened: Store[] = [];
function openStore(path = join(tempDir(), 'accounts.db')): Store {
  const store = new Store(path);
  migrate(store);
  opened.push(store);
  return store;
}
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

describe('AccountsTable.get, served from memory', () => {
  it('sees every write made through any table object on the same store', () => {
    const store = openStore();
    const proxySide = new AccountsTable(store);
    const adminSide = new AccountsTable(store);
    adminSide.insert(account('a'));
    expect(proxySide.get('a')?.projectId).toBe('project-a');
    adminSide.update('a', { projectId: 'moved', status: 'needs_login' });
    expect(proxySide.get('a')).toMatchObject({ projectId: 'moved', status: 'needs_login' });
    adminSide.touch('a', 500);
    expect(proxySide.get('a')?.lastUsedAt).toBe(500);
    adminSide.delete('a');
    expect(proxySide.get('a')).toBeUndefined();
  });

  it('sees a row changed by another connection to the same file (the accounts command of a second process) within the check interval', async () => {
    const path = join(tempDir(), 'shared.db');
    const server = new AccountsTable(openStore(path));
    const otherProcess = new AccountsTable(openStore(path));
    otherProcess.insert(account('a'));
    expect(server.get('a')?.enabled).toBe(true);
    otherProcess.update('a', { enabled: false });
    await new Promise((resolve) => setTimeout(resolve, CROSS_PROCESS_CHECK_MS + 20));
    expect(server.get('a')?.enabled).toBe(false);
    otherProcess.delete('a');
    await new Promise((resolve) => setTimeout(resolve, CROSS_PROCESS_CHECK_MS + 20));
    expect(server.get('a')).toBeUndefined();
  });

  it('never keeps a value that a rolled-back transaction wrote', () => {
    const store = openStore();
    const table = new AccountsTable(store);
    table.insert(account('a'));
    expect(table.get('a')?.label).toBeNull();
    expect(() =>
      store.transaction(() => {
        table.update('a', { label: 'temporary' });
        expect(table.get('a')?.label).toBe('temporary');
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(table.get('a')?.label).toBeNull();
  });

  it('hands out copies, so a caller changing one cannot change what others read', () => {
    const table = new AccountsTable(openStore());
    table.insert(account('a'));
    const first = table.get('a')!;
    first.email = 'changed@example.com';
    expect(table.get('a')?.email).toBe('a@example.com');
  });

  it('drops the current flag of every row when another account becomes current', () => {
    const table = new AccountsTable(openStore());
    table.insert(account('a', { isCurrent: true }));
    table.insert(account('b'));
    expect(table.get('a')?.isCurrent).toBe(true);
    table.setCurrent('b');
    expect(table.get('a')?.isCurrent).toBe(false);
    expect(table.get('b')?.isCurrent).toBe(true);
  });
});
