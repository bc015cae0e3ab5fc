import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { hasChromium, launchBrowser, openPage, screenshot, startDemo, WIDTHS, type Demo } from './harness.ts';
import { familyOf, groupByFamily } from '../../web/src/pages/accounts/model-families.ts';
import { filterAccounts, tiersOf, EMPTY_FILTER } from '../../web/src/pages/accounts/filters.ts';
import { planImport } from '../../web/src/pages/accounts/import-text.ts';
import type { AccountView, ModelQuotaView } from '../../web/src/pages/accounts/types.ts';

/** The simulator logs in as its first account when the authorize URL names none. */
const OAUTH_EMAIL = 'alice.pro@gmail.com';
const IMPORTED = ['bob.free@gmail.com', 'carol.ultra@gmail.com'];
const TO_DISABLE = 'dave.new@gmail.com';
const COOLDOWN_MODEL = 'gemini-3-flash';
const COOLDOWN_SECONDS = 600;

/** Browser steps on a machine shared by several test runs can take a while; none of them hangs. */
const BROWSER_TEST_MS = 90_000;
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

interface ExportDocument {
  accounts: Array<{ email: string; refreshToken: string }>;
}

const rowOf = (page: Page, email: string): Locator =>
  page
    .getByTestId('account-row')
    .filter({ has: page.getByTestId('account-email').getByText(email, { exact: true }) });

async function openAccounts(page: Page, demo: Demo): Promise<void> {
  await page.goto(`${demo.url}/accounts`);
  await page.getByTestId('account-row').first().waitFor();
}

async function deleteThroughRow(page: Page, email: string): Promise<void> {
  const row = rowOf(page, email);
  await row.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this account?' });
  await poll(() => dialog.textContent()).toContain(email);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
}

async function apiJson<T>(demo: Demo, path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${demo.url}${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe.skipIf(!hasChromium)('accounts page', () => {
  let demo: Demo;
  let browser: Browser;
  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it(
    'adds an account through the OAuth dialog: Open, the callback completes it, the status says so',
    async () => {
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      // The simulator signs in as an account the demo already has; removed first, it comes back as new.
      await deleteThroughRow(page, OAUTH_EMAIL);

      await page.getByRole('button', { name: 'Add account' }).click();
      const dialog = page.getByTestId('oauth-dialog');
      const url = await dialog.getByTestId('oauth-url').inputValue();
      expect(url).toContain('/o/oauth2/v2/auth?');
      const status = dialog.getByTestId('oauth-status');
      await poll(() => status.getAttribute('data-status')).toBe('pending');

      const popupOpened = context.waitForEvent('page');
      await dialog.getByRole('button', { name: 'Open' }).click();
      const popup = await popupOpened;
      // The simulated consent redirects to the manager's own /oauth-callback, which completes the flow.
      await popup.getByRole('heading', { name: 'Account added' }).waitFor();
      await popup.close();

      await poll(() => status.getAttribute('data-status')).toBe('completed');
      expect(await status.textContent()).toContain(`${OAUTH_EMAIL} is added`);
      await page.getByRole('button', { name: 'Done' }).click();
      await rowOf(page, OAUTH_EMAIL).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'imports two refresh tokens pasted into the import dialog, with a created result for each',
    async () => {
      const exported = await apiJson<ExportDocument>(demo, '/api/accounts/export');
      const tokens = IMPORTED.map(
        (email) => exported.accounts.find((account) => account.email === email)!.refreshToken,
      );
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      const total = await page.getByTestId('account-row').count();

      // Both removed at once through the bulk bar, whose confirmation names the count.
      for (const email of IMPORTED) await rowOf(page, email).getByRole('checkbox').check();
      await poll(() => page.getByTestId('selected-count').textContent()).toBe('2 selected');
      await page.getByTestId('bulk-bar').getByRole('button', { name: 'Delete' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete 2 accounts?' });
      await confirm.getByRole('button', { name: 'Delete 2 accounts' }).click();
      await page.getByTestId('bulk-report').waitFor();
      expect(await page.getByTestId('bulk-report').textContent()).toContain('Delete: 2 of 2 done.');
      for (const email of IMPORTED) await rowOf(page, email).waitFor({ state: 'detached' });
      await poll(() => page.getByTestId('account-row').count()).toBe(total - 2);

      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const dialog = page.getByTestId('import-dialog');
      await dialog.getByTestId('import-text').fill(tokens.join('\n'));
      await poll(() => dialog.getByTestId('import-plan').textContent()).toBe('Ready to import 2 entries.');
      await page.getByTestId('import-submit').click();
      const results = dialog.getByTestId('import-result');
      await poll(() => results.count()).toBe(2);
      expect(
        await results.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome'))),
      ).toEqual(['created', 'created']);
      const table = (await dialog.textContent()) ?? '';
      for (const email of IMPORTED) expect(table).toContain(email);
      // The result names each entry by a masked token, never the token itself.
      for (const token of tokens) {
        expect(table).not.toContain(token);
        expect(table).toContain(`${token.slice(0, 4)}\u2026${token.slice(-4)}`);
      }
      expect(await dialog.getByTestId('import-summary').textContent()).toBe(
        '2 created, 0 updated, 0 failed.',
      );
      await page.getByRole('button', { name: 'Done' }).click();
      for (const email of IMPORTED) await rowOf(page, email).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows quota bars with a percentage, reset countdown and age, and a cooldown a 429 caused',
    async () => {
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);

      const row = rowOf(page, TO_DISABLE);
      await row.locator('summary', { hasText: 'Gemini Flash' }).click();
      const bar = row.locator(`[data-testid="quota-bar"][data-model="${COOLDOWN_MODEL}"]`);
      await bar.waitFor();
      expect(await bar.getAttribute('data-status')).toBe('known');
      expect(await bar.textContent()).toMatch(/\d+% left/);
      expect(await bar.getByTestId('quota-reset').textContent()).toMatch(/^resets in \d+ h \d+ min$/);
      expect(await bar.getByTestId('quota-age').textContent()).toMatch(/ago|just now/);

      // Every account that can serve the model answers one 429 with a 10-minute retry hint.
      const config = await apiJson<{ settings: { upstream: { baseUrls: string[] } } }>(demo, '/api/config');
      const simulator = new URL(config.settings.upstream.baseUrls[0]!).origin;
      const { accounts } = await apiJson<{ accounts: AccountView[] }>(demo, '/api/accounts');
      const active = accounts.filter((account) => account.state === 'active').map((account) => account.email);
      for (const email of active) {
        const scripted = await fetch(`${simulator}/__control/script`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email,
            model: COOLDOWN_MODEL,
            outcomes: [{ kind: 'error', preset: 'rateLimit', retryDelay: COOLDOWN_SECONDS }],
          }),
        });
        expect(scripted.status).toBe(200);
      }
      const proxied = await fetch(`${demo.url}/v1beta/models/${COOLDOWN_MODEL}:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] }),
      });
      expect(proxied.status).toBe(429);
      const sentAt = Date.now();

      // The live event refreshes the list: the cooldown shows with its end time and a countdown.
      const cooldown = page.getByTestId('cooldown').first();
      await cooldown.waitFor();
      expect(await cooldown.textContent()).toMatch(
        new RegExp(`^${COOLDOWN_MODEL} · rate limited · until .+ \\(in (9|10) min\\)$`),
      );
      const until = Date.parse((await cooldown.locator('time').getAttribute('datetime')) ?? '');
      expect(Math.abs(until - sentAt - COOLDOWN_SECONDS * 1000)).toBeLessThan(15_000);
      await page.getByTestId('state-filter').selectOption('cooling');
      const cooling = await page.getByTestId('account-row').count();
      expect(cooling).toBeGreaterThan(0);
      expect(await page.getByTestId('cooling-badge').count()).toBe(cooling);
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'disables an account: its state badge becomes disabled',
    async () => {
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      const row = rowOf(page, TO_DISABLE);
      expect(await row.getByTestId('state-badge').getAttribute('data-state')).toBe('active');
      await row.getByRole('button', { name: 'Disable' }).click();
      await poll(() => row.getByTestId('state-badge').getAttribute('data-state')).toBe('disabled');
      expect(await row.getByTestId('state-badge').textContent()).toBe('disabled');
      await row.getByRole('button', { name: 'Enable' }).waitFor();
      await page.getByTestId('state-filter').selectOption('disabled');
      await poll(() => page.getByTestId('account-count').textContent()).toMatch(/^1 of \d+ accounts$/);
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows an unknown quota as unknown, never as a full bar, and says what to do about blocked accounts',
    async () => {
      const { page, context, problems } = await openPage(browser);
      const { accounts } = await apiJson<{ accounts: AccountView[] }>(demo, '/api/accounts');
      const first = accounts.find((account) => account.state === 'active')!;
      const unknownModel: ModelQuotaView = {
        model: 'gemini-3.1-pro-low',
        displayName: 'Gemini 3.1 Pro (Low)',
        status: 'unknown',
        fetchedAt: null,
        stale: true,
      };
      // The API's own answer with one account changed: states the demo cannot reach on demand.
      const changed: AccountView = {
        ...first,
        state: 'needs_login',
        quota: { ...first.quota, stale: true, models: [unknownModel] },
      };
      await page.route('**/api/accounts', (route) =>
        route.fulfill({
          json: { accounts: accounts.map((account) => (account.id === first.id ? changed : account)) },
        }),
      );
      await openAccounts(page, demo);
      const row = rowOf(page, first.email);
      const bar = row.getByTestId('quota-bar');
      expect(await bar.getAttribute('data-status')).toBe('unknown');
      expect(await bar.textContent()).toContain('unknown');
      expect(await bar.textContent()).not.toMatch(/%/);
      expect(await bar.getByRole('meter').evaluate((meter) => meter.childElementCount)).toBe(0);
      expect(await row.getByTestId('stale-mark').count()).toBeGreaterThan(0);
      await row.getByTestId('needs-login-notice').getByRole('button', { name: 'Sign in again' }).click();
      await page.getByTestId('oauth-url').waitFor();
      await page.getByRole('button', { name: 'Close', exact: true }).click();

      const verify = rowOf(page, 'frank.verify@gmail.com');
      const link = verify.getByTestId('validation-link');
      expect(await link.getAttribute('href')).toMatch(/^https:\/\/accounts\.google\.com\//);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  for (const width of [WIDTHS.desktop, WIDTHS.phone]) {
    it(
      `is usable at ${width} px in light and dark, without sideways scrolling (screenshots)`,
      async () => {
        for (const scheme of ['light', 'dark'] as const) {
          const { page, context, problems } = await openPage(browser, { width, colorScheme: scheme });
          await context.addInitScript((theme) => localStorage.setItem('bm.theme', theme), scheme);
          await openAccounts(page, demo);
          // Cards on a phone, a table on a desktop, until the user picks.
          await page.getByTestId(width === WIDTHS.phone ? 'account-grid' : 'account-table').waitFor();
          expect(await page.locator('html').getAttribute('data-theme')).toBe(scheme);
          expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
            width,
          );
          await screenshot(page, `accounts-${width}-${scheme}`);
          expect(problems).toEqual([]);
          await context.close();
        }
      },
      BROWSER_TEST_MS,
    );
  }

  it(
    'remembers the chosen view across a reload',
    async () => {
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      await page.getByRole('button', { name: 'Cards' }).click();
      await page.getByTestId('account-grid').waitFor();
      await page.reload();
      await page.getByTestId('account-grid').waitFor();
      expect(await page.getByRole('button', { name: 'Cards' }).getAttribute('aria-pressed')).toBe('true');
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );
});

describe('accounts page logic', () => {
  const quota = (model: string, percent: number | null): ModelQuotaView =>
    percent === null
      ? { model, displayName: null, status: 'unknown', fetchedAt: null, stale: false }
      : {
          model,
          displayName: null,
          status: 'known',
          remainingFraction: percent / 100,
          percent,
          resetAt: null,
          fetchedAt: null,
          stale: false,
        };

  it('groups models by family, image models apart, the lowest known figure first to run out', () => {
    expect(
      [
        'gemini-3.1-pro-low',
        'gemini-3-flash',
        'gemini-3-flash-image',
        'claude-sonnet-4-6',
        'gpt-oss-120b',
      ].map(familyOf),
    ).toEqual(['geminiPro', 'geminiFlash', 'image', 'claude', 'other']);
    const groups = groupByFamily([
      quota('claude-opus-4-6-thinking', 5),
      quota('claude-sonnet-4-6', null),
      quota('gemini-3-flash', 80),
      quota('gemini-3.1-flash-lite', null),
    ]);
    expect(groups.map((group) => [group.family, group.lowestPercent, group.unknownCount])).toEqual([
      ['geminiFlash', 80, 1],
      ['claude', 5, 1],
    ]);
    expect(groupByFamily([quota('claude-sonnet-4-6', null)])[0]?.lowestPercent).toBeNull();
  });

  it('reads pasted lines, JSON documents and several files into one import body', () => {
    expect(
      planImport([{ name: 'pasted', text: ' 1//0aaaaaaaaaaaaaaaa \n\n1//0bbbbbbbbbbbbbbbb\n' }]),
    ).toEqual({
      ok: true,
      body: { refreshTokens: ['1//0aaaaaaaaaaaaaaaa', '1//0bbbbbbbbbbbbbbbb'] },
      labels: ['1//0\u2026aaaa', '1//0\u2026bbbb'],
    });
    const exportFile = {
      format: 'better-manager.accounts',
      accounts: [{ email: 'a@x.com', refreshToken: 'tok' }],
    };
    const single = planImport([{ name: 'export.json', text: JSON.stringify(exportFile) }]);
    expect(single).toEqual({ ok: true, body: exportFile, labels: ['a@x.com'] });
    const manager = { email: 'b@x.com', token: { refresh_token: '1//0cccccccccccccccc' } };
    const merged = planImport([
      { name: 'pasted', text: '1//0dddddddddddddddd' },
      { name: 'b.json', text: JSON.stringify(manager) },
    ]);
    expect(merged).toEqual({
      ok: true,
      body: { accounts: ['1//0dddddddddddddddd', manager] },
      labels: ['1//0\u2026dddd', 'b@x.com'],
    });
    expect(planImport([{ name: 'pasted', text: '   ' }])).toEqual({ ok: false, problem: 'empty' });
    const broken = planImport([{ name: 'bad.json', text: '{"accounts": [' }]);
    expect(broken).toMatchObject({ ok: false, problem: 'badJson', source: 'bad.json' });
  });

  it('filters by search, state (cooling from cooldowns still in force) and tier', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const account = (fields: Partial<AccountView>): AccountView =>
      ({
        id: fields.email,
        label: null,
        displayName: null,
        tier: null,
        tierName: null,
        state: 'active',
        cooldowns: [],
        ...fields,
      }) as AccountView;
    const list = [
      account({ email: 'a@x.com', label: 'work', tier: 'pro', tierName: 'Google AI Pro' }),
      account({
        email: 'b@x.com',
        tier: 'free',
        cooldowns: [{ model: 'm', until: '2026-01-01T00:05:00Z', reason: 'rate_limited' }],
      }),
      account({
        email: 'c@x.com',
        state: 'disabled',
        cooldowns: [{ model: 'm', until: '2025-12-31T23:59:00Z', reason: 'rate_limited' }],
      }),
    ];
    const emails = (filter: Partial<typeof EMPTY_FILTER>) =>
      filterAccounts(list, { ...EMPTY_FILTER, ...filter }, now).map((item) => item.email);
    expect(emails({ search: 'WORK' })).toEqual(['a@x.com']);
    expect(emails({ search: 'ai pro' })).toEqual(['a@x.com']);
    expect(emails({ state: 'cooling' })).toEqual(['b@x.com']);
    expect(emails({ state: 'disabled' })).toEqual(['c@x.com']);
    expect(emails({ tier: 'none' })).toEqual(['c@x.com']);
    expect(emails({ tier: 'free', search: 'b@' })).toEqual(['b@x.com']);
    expect(tiersOf(list)).toEqual(['free', 'pro', 'none']);
  });
});
