import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  BROWSER_TEST_MS,
  apiJson,
  deleteThroughRow,
  openAccounts,
  poll,
  answerAccountsWith,
  rateLimitEveryAccount,
  refusePatchOf,
  rowOf,
  unknownQuota,
  type ExportDocument,
} from './accounts-steps.ts';
import { hasChromium, launchBrowser, openPage, screenshot, startDemo, WIDTHS, type Demo } from './harness.ts';
import type { AccountView } from '../../web/src/pages/accounts/types.ts';

/** The simulator logs in as its first account when the authorize URL names none. */
const OAUTH_EMAIL = 'alice.pro@gmail.com';
const IMPORTED = ['bob.free@gmail.com', 'carol.ultra@gmail.com'];
const TO_DISABLE = 'dave.new@gmail.com';
const COOLDOWN_MODEL = 'gemini-3-flash';
const COOLDOWN_SECONDS = 600;

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
    'completes a sign-in from a pasted callback address, for a browser that cannot come back here',
    async () => {
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      await page.getByRole('button', { name: 'Add account' }).click();
      const dialog = page.getByTestId('oauth-dialog');
      const authUrl = await dialog.getByTestId('oauth-url').inputValue();
      // Where a browser on another machine would end up: the consent's redirect, not followed.
      const consent = await fetch(authUrl, { redirect: 'manual' });
      const callbackUrl = consent.headers.get('location') ?? '';
      expect(callbackUrl).toContain('/oauth-callback?');
      await dialog.getByTestId('oauth-paste').fill(callbackUrl);
      await dialog.getByRole('button', { name: 'Add with this code' }).click();
      const status = dialog.getByTestId('oauth-status');
      await poll(() => status.getAttribute('data-status')).toBe('completed');
      expect(await status.textContent()).toContain(`${OAUTH_EMAIL} was already here and is updated`);
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
      const proxied = await rateLimitEveryAccount(demo, COOLDOWN_MODEL, COOLDOWN_SECONDS);
      expect(proxied.status).toBe(429);
      const sentAt = Date.now();

      // The live event refreshes the list: the cooldown shows with its end time and a countdown.
      const cooldown = page.getByTestId('cooldown').first();
      await cooldown.waitFor();
      // Minutes round up, and the page's clock may be up to a second behind: 10 min may read 11.
      expect(await cooldown.textContent()).toMatch(
        new RegExp(`^${COOLDOWN_MODEL} · rate limited · until .+ \\(in (9|10|11) min\\)$`),
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
    'labels an account, finds it by its label, marks it current and refreshes its quota',
    async () => {
      const email = 'grace@example.com';
      const quotaFetchedAt = async () =>
        (await apiJson<{ accounts: AccountView[] }>(demo, '/api/accounts')).accounts.find(
          (account) => account.email === email,
        )?.quota.fetchedAt;
      const before = await quotaFetchedAt();
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      const row = rowOf(page, email);
      await row.getByRole('button', { name: 'Edit label' }).click();
      const dialog = page.getByRole('dialog', { name: `Label for ${email}` });
      await dialog.getByRole('textbox').fill('team laptop');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await poll(() => row.getByTestId('account-label').textContent()).toBe('team laptop');
      await page.getByTestId('account-search').fill('TEAM');
      await poll(() => page.getByTestId('account-count').textContent()).toMatch(/^1 of \d+ accounts$/);

      await row.getByRole('button', { name: 'Set current' }).click();
      await row.getByTestId('current-mark').waitFor();
      await page.getByTestId('account-search').fill('');
      await poll(() => page.getByTestId('current-mark').count()).toBe(1);

      await row.getByTestId('refresh-account').click();
      await poll(quotaFetchedAt).not.toBe(before);
      await poll(() => row.getByTestId('refresh-account').textContent()).toBe('Refresh quota');
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'checks an account that Google asks to verify again, and says the outcome in words',
    async () => {
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      const row = rowOf(page, 'frank.verify@gmail.com');
      await row.getByRole('button', { name: 'Check again' }).click();
      await poll(() => row.getByTestId('verify-outcome').textContent()).toBe(
        'Still needs validation: open the link and sign in',
      );
      expect(await row.getByTestId('state-badge').getAttribute('data-state')).toBe('forbidden');
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'exports behind a refresh-token warning, and imports the file back through the file picker',
    async () => {
      const { page, context, problems } = await openPage(browser);
      await openAccounts(page, demo);
      const total = await page.getByTestId('account-row').count();
      await page.getByRole('button', { name: 'Export' }).click();
      const confirm = page.getByRole('dialog', { name: 'Export accounts?' });
      expect(await confirm.textContent()).toContain(`refresh tokens of all ${total} accounts`);
      const downloading = page.waitForEvent('download');
      await confirm.getByRole('button', { name: 'Download file' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^better-manager-accounts-\d{4}-\d\d-\d\d\.json$/);
      const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as ExportDocument;
      expect(file.accounts).toHaveLength(total);
      expect(file.accounts.every((account) => account.refreshToken.length > 12)).toBe(true);

      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const dialog = page.getByTestId('import-dialog');
      await dialog.getByTestId('import-files').setInputFiles({
        name: 'accounts.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(file)),
      });
      await poll(() => dialog.getByTestId('import-plan').textContent()).toBe(
        `Ready to import ${total} entries.`,
      );
      await page.getByTestId('import-submit').click();
      await poll(() => dialog.getByTestId('import-result').count()).toBe(total);
      expect(await dialog.getByTestId('import-summary').textContent()).toBe(
        `0 created, ${total} updated, 0 failed.`,
      );
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
      // The API's own answer with one account changed: states the demo cannot reach on demand.
      await answerAccountsWith(page, accounts, {
        ...first,
        state: 'needs_login',
        quota: unknownQuota(first),
      });
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

  it(
    'runs a bulk action over the selection and names each account it failed for; Enter and Escape work the add dialog',
    async () => {
      const { page, context, problems } = await openPage(browser, { allowStatus: [409] });
      await openAccounts(page, demo);
      const refused = 'frank.verify@gmail.com';
      const { accounts } = await apiJson<{ accounts: AccountView[] }>(demo, '/api/accounts');
      const refusedId = accounts.find((account) => account.email === refused)!.id;
      // One account's change is refused, as a concurrent edit elsewhere could make it be.
      await refusePatchOf(page, refusedId, 'Changed elsewhere');
      await page.getByTestId('state-filter').selectOption('forbidden');
      const shown = await page.getByTestId('account-row').count();
      await page.getByTestId('bulk-bar').getByRole('checkbox').check();
      await poll(() => page.getByTestId('selected-count').textContent()).toBe(`${shown} selected`);
      await page.getByTestId('bulk-bar').getByRole('button', { name: 'Disable' }).click();
      const report = page.getByTestId('bulk-report');
      await report.waitFor();
      expect(await report.textContent()).toContain(`Disable: ${shown - 1} of ${shown} done.`);
      expect(await report.textContent()).toContain(`1 failed:${refused}: Changed elsewhere`);
      // Keyboard only: the add dialog opens with Enter and closes with Escape.
      await page.getByRole('button', { name: 'Add account' }).focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('oauth-url').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('oauth-dialog').waitFor({ state: 'detached' });
      expect(problems.filter((problem) => !problem.includes('409'))).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'says why the list failed to load, and explains adding accounts when there is none',
    async () => {
      const { page, context, problems } = await openPage(browser, { allowStatus: [503] });
      let failing = true;
      await page.route('**/api/accounts', (route) =>
        failing
          ? route.fulfill({ status: 503, json: { error: { code: 'busy', message: 'The database is busy' } } })
          : route.fulfill({ json: { accounts: [] } }),
      );
      await page.goto(`${demo.url}/accounts`);
      const alert = page.getByRole('alert');
      await poll(() => alert.textContent()).toContain('The database is busy');
      failing = false;
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.getByText('No accounts yet').waitFor();
      // The empty state offers both ways in, besides the header's buttons.
      expect(await page.getByRole('button', { name: 'Add account' }).count()).toBe(2);
      expect(await page.getByRole('button', { name: 'Import', exact: true }).count()).toBe(2);
      // The provoked 503 (and the console line the browser writes for it) are the only problems.
      expect(problems.filter((problem) => !problem.includes('503'))).toEqual([]);
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
