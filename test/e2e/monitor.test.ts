import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, startDemo, WIDTHS, type Demo } from './harness.ts';

describe.skipIf(!hasChromium)('Monitor page', () => {
  let demo: Demo;
  let browser: Browser;
  /** Once a key exists the proxy wants one on every request. */
  let apiKey: string | undefined;
  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  async function generate(model = 'gemini-3-flash', key = apiKey): Promise<number> {
    const response = await fetch(`${demo.url}/v1beta/models/${model}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-goog-api-key': key } : {}) },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    await response.text();
    return response.status;
  }

  async function openMonitor(page: Page, view = '') {
    await page.goto(`${demo.url}/monitor${view ? `?view=${view}` : ''}`);
    await page.getByRole('heading', { level: 1, name: 'Monitor' }).waitFor();
    // The live feed is connected before anything is sent, so no row can slip past it.
    await page.getByTestId('live-status').getByText('Live').waitFor();
  }

  it('shows a proxied request in the live table without a reload, holds rows while paused, and opens a row', async () => {
    const { page, problems } = await openPage(browser);
    await openMonitor(page);
    await page.getByText('No requests logged yet').waitFor();
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    expect(await generate()).toBe(200);
    const rows = page.getByTestId('log-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('gemini-3-flash');
    expect(
      await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage),
    ).toBe(true);

    await page.getByTestId('pause-live').click();
    expect(await generate('no-such-model')).toBe(404);
    await page.getByTestId('live-state').getByText('Paused: 1 new requests waiting').waitFor();
    expect(await rows.count()).toBe(1);
    await page.getByTestId('pause-live').click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('404');

    // The filter applies to live rows too: only errors now.
    await page.getByTestId('filter-status').selectOption('error');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await generate()).toBe(200);
    expect(await generate('no-such-model')).toBe(404);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByTestId('export-logs').getAttribute('href')).toBe('/api/logs.csv?status=error');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(4);

    // The successful request's detail: every field, its attempt, and why there is no body.
    await page.locator('[data-testid="log-row"]', { hasText: '200' }).first().getByRole('button').click();
    const detail = page.getByTestId('log-detail');
    await detail.getByTestId('log-attempt').first().waitFor();
    expect(await detail.getByTestId('log-attempt').first().textContent()).toMatch(/@.*200/);
    expect(await detail.getByTestId('log-detail-fields').textContent()).toContain('gemini-3-flash');
    expect(await detail.getByTestId('bodies-note').textContent()).toContain('logging.bodies');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await detail.waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
  });

  it('counts a request made with a new API key under that key in the usage view', async () => {
    const created = await fetch(`${demo.url}/api/proxy/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'e2e usage key' }),
    });
    expect(created.status).toBe(201);
    apiKey = ((await created.json()) as { key: string }).key;

    const { page, problems } = await openPage(browser);
    await openMonitor(page, 'usage');
    await page.getByTestId('usage-table').waitFor();
    const row = page.locator('[data-testid="usage-row"]', { hasText: 'e2e usage key' });
    expect(await row.count()).toBe(0);

    expect(await generate()).toBe(200);
    // The view follows the traffic: no reload, no click.
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('1');
    await page.locator('canvas[data-testid="chart-usage"]').waitFor();

    for (const by of ['Model', 'Account', 'API key']) {
      await page.getByTestId('usage-by').getByRole('button', { name: by }).click();
      await page.getByTestId('usage-by').getByRole('button', { name: by, pressed: true }).waitFor();
      await page.getByTestId('usage-row').first().waitFor();
    }
    await page.getByTestId('usage-bucket').getByRole('button', { name: 'Hours' }).click();
    await row.waitFor();
    const href = await page.getByTestId('export-usage').getAttribute('href');
    expect(href).toMatch(/^\/api\/usage\.csv\?window=7d&by=key&bucket=hour&tzOffset=-?\d+$/);
    const csv = await (await fetch(`${demo.url}${href}`)).text();
    expect(csv.split('\r\n')[0]).toBe(
      'start,group,label,requests,errors,input_tokens,output_tokens,thinking_tokens,cached_tokens',
    );
    expect(csv).toContain(',e2e usage key,1,0,');

    // The key's label shows in the live log too.
    await page.getByTestId('monitor-tab-log').click();
    await page.locator('[data-testid="log-row"]', { hasText: 'e2e usage key' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('draws the statistics charts for each window', async () => {
    const { page, problems } = await openPage(browser);
    await openMonitor(page, 'charts');
    for (const window of ['1 hour', '24 hours', '7 days']) {
      await page.getByTestId('stats-window').getByRole('button', { name: window }).click();
      for (const chart of ['chart-requests-errors', 'chart-latency', 'chart-tokens']) {
        await page.locator(`canvas[data-testid="${chart}"]`).waitFor();
      }
    }
    expect(problems).toEqual([]);
  });

  for (const width of [WIDTHS.desktop, WIDTHS.phone]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`renders every view at ${width} px in the ${scheme} theme`, async () => {
        const { page, context, problems } = await openPage(browser, { width, colorScheme: scheme });
        await context.addInitScript((theme) => localStorage.setItem('bm.theme', theme), scheme);
        await openMonitor(page);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
        await page.getByTestId('log-row').first().waitFor();
        // A phone gets cards: the table would not fit.
        expect(await page.locator('table [data-testid="log-row"]').count()).toBe(
          width < 768 ? 0 : await page.getByTestId('log-row').count(),
        );
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await screenshot(page, `monitor-log-${width}-${scheme}`);

        await page.getByTestId('log-row').first().getByRole('button').first().click();
        await page.getByTestId('log-attempt').first().waitFor();
        await screenshot(page, `monitor-detail-${width}-${scheme}`);
        await page.keyboard.press('Escape');
        await page.getByTestId('log-detail').waitFor({ state: 'hidden' });

        await page.getByTestId('monitor-tab-charts').click();
        await page.locator('canvas[data-testid="chart-tokens"]').waitFor();
        await screenshot(page, `monitor-charts-${width}-${scheme}`);
        await page.getByTestId('monitor-tab-usage').click();
        await page.locator('canvas[data-testid="chart-usage"]').waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await screenshot(page, `monitor-usage-${width}-${scheme}`);
        expect(problems).toEqual([]);
      });
    }
  }
  it('loads older rows by the cursor, and clears the log after asking', async () => {
    for (let i = 0; i < 55; i++) expect(await generate()).toBe(200);
    const { page, problems } = await openPage(browser);
    await openMonitor(page);
    const rows = page.getByTestId('log-row');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByTestId('load-older').click();
    await expect.poll(() => rows.count()).toBeGreaterThan(55);
    await page.getByText('No older rows.').waitFor();

    await page.getByTestId('clear-logs').click();
    const dialog = page.getByRole('dialog', { name: 'Clear the request log?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await rows.count()).toBeGreaterThan(55);
    await page.getByTestId('clear-logs').click();
    await dialog.getByRole('button', { name: 'Delete all log rows' }).click();
    await page.getByText('No requests logged yet').waitFor();
    await page
      .getByRole('status')
      .getByText(/log rows deleted/)
      .waitFor();
    const left = (await (await fetch(`${demo.url}/api/logs`)).json()) as { logs: unknown[] };
    expect(left.logs).toEqual([]);
    expect(problems).toEqual([]);
  });
});
