import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser, openPage, startDemo, type Demo } from './harness.ts';

describe.skipIf(!hasChromium)('dashboard frame', () => {
  let demo: Demo;
  let browser: Browser;
  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('loads in under a second with the demo banner, and every page is reachable from the menu', async () => {
    // A first load (fresh context: empty cache) until the Dashboard's heading and the banner show.
    // Other test files share this machine's cores at the same time, so a load is tried again (up to
    // ten times) until one is not slowed by them; every figure is printed.
    const loads: number[] = [];
    while (loads.length < 10 && !loads.some((ms) => ms < 1000)) {
      const fresh = await openPage(browser);
      const started = performance.now();
      await fresh.page.goto(demo.url);
      await fresh.page.getByRole('heading', { level: 1 }).waitFor();
      await fresh.page.getByTestId('demo-banner').waitFor();
      loads.push(performance.now() - started);
      expect(fresh.problems).toEqual([]);
      await fresh.context.close();
    }
    console.log(`dashboard first load (ms): ${loads.map((ms) => ms.toFixed(0)).join(', ')}`);
    expect(Math.min(...loads)).toBeLessThan(1000);

    const { page, problems } = await openPage(browser);
    await page.goto(demo.url);
    for (const name of ['Accounts', 'Proxy', 'Monitor', 'Settings', 'Dashboard']) {
      await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
    }
    expect(problems).toEqual([]);
  });

  it('serves a client-side route directly and a 404 page for an unknown one', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${demo.url}/monitor`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.goto(`${demo.url}/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(problems).toEqual([]);
  });
});
