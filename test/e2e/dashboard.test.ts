import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, startDemo, WIDTHS, type Demo } from './harness.ts';

interface Account {
  email: string;
  state: string;
  cooldowns: Array<{ until: string }>;
}

describe.skipIf(!hasChromium)('Dashboard page', () => {
  let demo: Demo;
  let browser: Browser;
  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
    // A little traffic, one of it failed, so the charts and totals have something to draw.
    for (const model of ['gemini-3-flash', 'claude-sonnet-4-6', 'no-such-model']) {
      const response = await fetch(`${demo.url}/v1beta/models/${model}:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
      });
      await response.text();
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  async function openDashboard(page: Page) {
    await page.goto(demo.url);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByTestId('pool-active').waitFor();
  }

  it('shows pool health, quota per family with the best account, traffic charts and the base URL', async () => {
    const { page, problems } = await openPage(browser);
    await openDashboard(page);

    const { accounts } = (await (await fetch(`${demo.url}/api/accounts`)).json()) as { accounts: Account[] };
    const cooling = (account: Account) => account.cooldowns.some((c) => Date.parse(c.until) > Date.now());
    const expected = {
      active: accounts.filter((a) => a.state === 'active' && !cooling(a)).length,
      cooling: accounts.filter((a) => a.state === 'active' && cooling(a)).length,
      disabled: accounts.filter((a) => a.state === 'disabled').length,
      needs_login: accounts.filter((a) => a.state === 'needs_login').length,
      forbidden: accounts.filter((a) => a.state === 'forbidden').length,
    };
    expect(expected.active).toBeGreaterThan(0);
    expect(expected.forbidden).toBeGreaterThan(0);
    for (const [state, count] of Object.entries(expected)) {
      const tile = page.getByTestId(`pool-${state}`);
      await expect.poll(() => tile.textContent(), { message: state }).toMatch(new RegExp(`^${count}\\D`));
      expect(await tile.getAttribute('href')).toBe(`/accounts?state=${state}`);
    }

    const emails = accounts.map((account) => account.email);
    for (const family of ['geminiPro', 'geminiFlash', 'claude', 'image']) {
      expect(await page.getByTestId(`family-${family}-percent`).textContent(), family).toMatch(/^\d+%$/);
      const best = (await page.getByTestId(`best-${family}`).textContent()) ?? '';
      expect(
        emails.some((email) => best.includes(email)),
        `${family}: ${best}`,
      ).toBe(true);
    }
    // The upstream's 5-hour and weekly buckets (one sample account reports them) show per family.
    await page.getByTestId('family-geminiPro').getByText('5-hour limit').waitFor();
    await page.getByTestId('family-claude').getByText('Weekly limit').waitFor();

    await page.locator('canvas[data-testid="chart-requests"]').waitFor();
    await page.locator('canvas[data-testid="chart-errors"]').waitFor();
    await expect.poll(() => page.getByTestId('total-requests').textContent()).toBe('3');

    for (const window of ['24 hours', '7 days', '1 hour']) {
      await page.getByTestId('traffic-window').getByRole('button', { name: window }).click();
      await page.getByTestId('traffic-window').getByRole('button', { name: window, pressed: true }).waitFor();
      await expect.poll(() => page.getByTestId('total-requests').textContent()).toBe('3');
      await page.locator('canvas[data-testid="chart-requests"]').waitFor();
    }

    expect(await page.getByTestId('base-url').textContent()).toBe(demo.url);
    await page.getByTestId('proxy-card').getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(demo.url);
    expect(problems).toEqual([]);
  });

  it('a pool tile leads to the Accounts page filtered to that state', async () => {
    const { page, problems } = await openPage(browser);
    await openDashboard(page);
    const forbidden = Number(await page.getByTestId('pool-forbidden').locator('span').first().textContent());
    await page.getByTestId('pool-forbidden').click();
    await page.waitForURL(`${demo.url}/accounts?state=forbidden`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByTestId('state-filter').inputValue()).toBe('forbidden');
    await expect.poll(() => page.getByTestId('account-count').textContent()).toContain(String(forbidden));
    expect(problems).toEqual([]);
  });

  for (const width of [WIDTHS.desktop, WIDTHS.phone]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`renders at ${width} px in the ${scheme} theme`, async () => {
        const { page, context, problems } = await openPage(browser, { width, colorScheme: scheme });
        await context.addInitScript((theme) => localStorage.setItem('bm.theme', theme), scheme);
        await openDashboard(page);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
        await page.locator('canvas[data-testid="chart-errors"]').waitFor();
        // Nothing wider than the screen: tables and tiles wrap or scroll inside their card.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await screenshot(page, `dashboard-${width}-${scheme}`);
        expect(problems).toEqual([]);
      });
    }
  }
});
