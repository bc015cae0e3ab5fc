// The pool at scale: 10,000 accounts in the database. Start time and RSS of a real server on
// that data folder, and selection time over the same pool code in this process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccountsRuntime } from '../../src/accounts/runtime.ts';
import { createLogger } from '../../src/logger.ts';
import { AccountPool } from '../../src/pool/index.ts';
import { PoolSync } from '../../src/proxy/pool-sync.ts';
import { openDataFolder } from '../../src/server/data-folder.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { AccountsTable } from '../../src/store/accounts-table.ts';
import { QuotaTable } from '../../src/store/quota-table.ts';
import { heapOf, percentile, rssMb, simulatorConfig, sleep, startProxy, stop } from './processes.ts';

const BIG_POOL = 10_000;
const MODEL = 'gemini-3-flash';

/** Table rows: start time, RSS and selection time with BIG_POOL accounts. */
export async function measureBigPool(sim: Simulator, port: number): Promise<string[][]> {
  const rows: string[][] = [];
  // 10,000 accounts in the database: start time, RSS, and selection time over the same pool code.
  const bigDir = mkdtempSync(join(tmpdir(), 'bm-bench-big-'));
  writeFileSync(join(bigDir, 'config.json'), JSON.stringify(simulatorConfig(sim)));
  const folder = openDataFolder({
    dataDir: bigDir,
    flags: { kind: 'flag', label: 'bench', values: {} },
    env: {},
  });
  const runtime = createAccountsRuntime({
    store: folder.store,
    settings: folder.settings,
    dataDir: bigDir,
    logger: createLogger('silent'),
  });
  const accounts = new AccountsTable(folder.store);
  const quotas = new QuotaTable(folder.store);
  const sealed = 'v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AAAA';
  const now = Date.now();
  folder.store.transaction(() => {
    for (let i = 0; i < BIG_POOL; i++) {
      const id = `acct-${i}`;
      accounts.insert({
        id,
        email: `user${i}@example.com`,
        displayName: null,
        refreshTokenEnc: sealed,
        accessTokenEnc: null,
        accessTokenExpiresAt: null,
        projectId: `project-${i}`,
        tier: 'pro',
        tierName: null,
        enabled: true,
        status: 'ok',
        statusReason: null,
        validationUrl: null,
        label: null,
        sortOrder: i,
        isCurrent: false,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
        quotaFetchedAt: now,
        quotaError: null,
      });
      quotas.replaceModels(
        id,
        [
          'gemini-3-flash',
          'gemini-pro-agent',
          'claude-sonnet-4-6',
          'claude-opus-4-6-thinking',
          'gpt-oss-120b-medium',
        ].map((modelId, k) => ({
          modelId,
          displayName: null,
          status: 'known' as const,
          remainingFraction: ((i * 7 + k) % 100) / 100,
          resetAt: null,
          fetchedAt: now,
          details: null,
        })),
      );
    }
  });
  const pool = new AccountPool({ settings: () => folder.settings.current });
  const syncStarted = performance.now();
  new PoolSync(pool, accounts, quotas, runtime.service).start();
  const syncMs = performance.now() - syncStarted;
  const select: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const started = performance.now();
    pool.select({ model: i % 2 ? MODEL : 'claude-sonnet-4-6', sessionKey: `session-${i % 500}` });
    select.push(performance.now() - started);
  }
  await runtime.close();
  folder.close();
  const proxy = await startProxy(bigDir, port);
  await sleep(300);
  rows.push([
    `start with ${BIG_POOL} accounts → /health (ms)`,
    '',
    proxy.startMs.toFixed(0),
    `pool load ${syncMs.toFixed(0)} ms in-process`,
  ]);
  rows.push([
    `RSS with ${BIG_POOL} accounts (MB)`,
    '',
    rssMb(proxy.child.pid!).toFixed(1),
    `heap ${await heapOf(proxy.url)}`,
  ]);
  rows.push([
    `select() p50 / p99 with ${BIG_POOL} accounts (ms)`,
    '',
    `${percentile(select, 50).toFixed(3)} / ${percentile(select, 99).toFixed(3)}`,
    'sticky, 500 sessions',
  ]);
  await stop(proxy.child);
  return rows;
}
