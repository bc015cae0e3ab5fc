import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, openPage, screenshot, startDemo, WIDTHS, type Demo } from './harness.ts';

/** A browser test on a shared two-core machine may take many seconds; past this it hangs. */
const BROWSER_TEST_MS = 60_000;

interface ConfigView {
  settings: {
    ui: { language: string; theme: string };
    refresh: { quotaIntervalMinutes: number; concurrency: number };
  };
  dataDir: string;
  configFile: string;
  version: string;
}

/** Runs `expression` in the page (a string: the test's own TypeScript has no DOM types). */
const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;

/** The page's root background, which daisyUI paints from the theme's base colour. */
const rootBackground = (page: Page) =>
  inPage<string>(page, 'getComputedStyle(document.documentElement).backgroundColor');
const htmlAttribute = (page: Page, name: string) => page.locator('html').getAttribute(name);
const marker = (page: Page) => inPage<string | undefined>(page, 'window.__marker');

describe.skipIf(!hasChromium)('settings page', () => {
  let demo: Demo;
  let browser: Browser;
  const config = async () => (await (await fetch(`${demo.url}/api/config`)).json()) as ConfigView;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it(
    'switches to 简体中文 and the dark theme without a reload, saves both, and keeps them after a reload',
    async () => {
      const { page, problems } = await openPage(browser, { width: WIDTHS.desktop });
      await page.goto(`${demo.url}/settings`);
      await page.getByTestId('settings-page').waitFor();
      await screenshot(page, 'settings-1280-light');
      const lightBackground = await rootBackground(page);
      // A reload would lose this; a switch in place keeps it.
      await inPage(page, "window.__marker = 'no reload'");

      await page.getByRole('radio', { name: '简体中文' }).click();
      const nav = page.getByRole('navigation');
      await nav.getByRole('link', { name: '仪表盘' }).waitFor();
      await nav.getByRole('link', { name: '账号' }).waitFor();
      await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
      expect(await htmlAttribute(page, 'lang')).toBe('zh-CN');

      await page.getByRole('radio', { name: '深色' }).click();
      await page.locator('html[data-theme=dark]').waitFor({ state: 'attached' });
      await expect.poll(() => rootBackground(page)).not.toBe(lightBackground);
      expect(await marker(page)).toBe('no reload');

      await expect
        .poll(async () => (await config()).settings.ui)
        .toEqual({ language: 'zh-CN', theme: 'dark' });
      await page.getByTestId('settings-saved').waitFor();
      await screenshot(page, 'settings-1280-dark');

      await page.reload();
      await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
      expect(await marker(page)).toBeUndefined();
      expect(await htmlAttribute(page, 'data-theme')).toBe('dark');
      expect(await page.getByRole('radio', { name: '深色' }).isChecked()).toBe(true);
      expect(await page.getByRole('radio', { name: '简体中文' }).isChecked()).toBe(true);
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'a browser with no choice of its own follows the language and theme saved on the server',
    async () => {
      const saved = (await config()).settings.ui;
      expect(saved).toEqual({ language: 'zh-CN', theme: 'dark' });
      const { page, problems } = await openPage(browser, { width: WIDTHS.phone, colorScheme: 'light' });
      await page.goto(`${demo.url}/settings`);
      await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
      await page.locator('html[data-theme=dark]').waitFor({ state: 'attached' });
      // Following the server is not a choice of this browser's: nothing is remembered locally.
      expect(
        await inPage(page, "[localStorage.getItem('bm.language'), localStorage.getItem('bm.theme')]"),
      ).toEqual([null, null]);
      await screenshot(page, 'settings-390-dark');

      await page.getByRole('radio', { name: '浅色' }).click();
      await page.getByRole('radio', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      expect(await htmlAttribute(page, 'data-theme')).toBe('light');
      await expect.poll(async () => (await config()).settings.ui).toEqual({ language: 'en', theme: 'light' });
      await screenshot(page, 'settings-390-light');
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'saves the quota refresh interval (off = by hand) and concurrency, and refuses out-of-range numbers in words',
    async () => {
      const { page, problems } = await openPage(browser, { width: WIDTHS.phone });
      await page.goto(`${demo.url}/settings`);
      const card = page.getByTestId('settings-refresh');
      await card.waitFor();
      const save = card.getByRole('button', { name: 'Save changes' });
      expect(await save.isDisabled()).toBe(true);

      await card.getByLabel('Refresh quotas automatically').uncheck();
      await card.getByText('Off: quotas refresh only when you ask for it').waitFor();
      await save.click();
      await card.getByTestId('settings-saved').waitFor();
      expect((await config()).settings.refresh.quotaIntervalMinutes).toBe(0);

      await card.getByLabel('Refresh quotas automatically').check();
      await card.getByLabel('Every (minutes)').fill('30');
      await card.getByLabel('Accounts refreshed at the same time').fill('99');
      await card.getByText('Enter a whole number from 1 to 32.').waitFor();
      expect(await save.isDisabled()).toBe(true);
      await card.getByLabel('Accounts refreshed at the same time').fill('8');
      await save.click();
      await card.getByTestId('settings-saved').waitFor();
      expect((await config()).settings.refresh).toEqual({ quotaIntervalMinutes: 30, concurrency: 8 });
      await screenshot(page, 'settings-390-refresh');
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows where the data is, with copy buttons, and the version and demo mark',
    async () => {
      const { page, problems } = await openPage(browser, { width: WIDTHS.desktop });
      await page.goto(`${demo.url}/settings`);
      const expected = await config();
      const dataDir = page.getByTestId('settings-data-dir');
      await dataDir.waitFor();
      expect(await dataDir.textContent()).toBe(expected.dataDir);
      expect(await page.getByTestId('settings-config-file').textContent()).toBe(expected.configFile);
      expect(await page.getByTestId('settings-version').textContent()).toBe(expected.version);
      await page.getByTestId('settings-demo-mark').waitFor();

      const data = page.getByTestId('settings-data');
      await data.getByRole('button', { name: 'Copy path' }).first().click();
      await data.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await inPage(page, 'navigator.clipboard.readText()')).toBe(expected.dataDir);
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'is keyboard reachable: Tab reaches the language choice and arrow keys switch it',
    async () => {
      const { page, problems } = await openPage(browser, { width: WIDTHS.desktop });
      await page.goto(`${demo.url}/settings`);
      await page.getByTestId('settings-page').waitFor();
      const focused = () => inPage<string>(page, "document.activeElement?.getAttribute('aria-label') ?? ''");
      for (let step = 0; step < 30 && (await focused()) !== 'English'; step++)
        await page.keyboard.press('Tab');
      expect(await focused()).toBe('English');
      await page.keyboard.press('ArrowRight');
      await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
      await page.keyboard.press('ArrowLeft');
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await expect.poll(async () => (await config()).settings.ui.language).toBe('en');
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );
});
