import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, openPage, screenshot, startDemo, WIDTHS, type Demo } from './harness.ts';

const PASSWORD = 'correct horse battery';

/** The status of an admin API call made by the page itself, so with its cookies. */
const adminStatus = (page: Page, path: string) =>
  page.evaluate(`fetch(${JSON.stringify(path)}).then((response) => response.status)`) as Promise<number>;

/**
 * Problems other than the 401s the test provokes: the harness lets their responses through, but
 * Chromium also reports each one on the console.
 */
const unexpected = (problems: string[]) =>
  problems.filter((problem) => !problem.includes('the server responded with a status of 401'));

const loginHeading = (page: Page) => page.getByRole('heading', { name: 'Sign in to Better Manager' });

async function signIn(page: Page, password: string) {
  await page.getByLabel('Admin password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The dark theme chosen in this browser before the app starts, as the Settings page would store it. */
async function preferDark(page: Page) {
  await page.addInitScript("localStorage.setItem('bm.theme', 'dark')");
}

describe.skipIf(!hasChromium)('sign-in', () => {
  let browser: Browser;
  const demos: Demo[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(demos.splice(0).map((demo) => demo.stop()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('asks for the admin password, says a wrong one is wrong, signs in with the right one and out again', async () => {
    const demo = await startDemo({ adminPassword: PASSWORD });
    demos.push(demo);
    const { page, problems } = await openPage(browser, { width: WIDTHS.desktop, allowStatus: [401] });
    await page.goto(demo.url);
    await loginHeading(page).waitFor();
    expect(await adminStatus(page, '/api/accounts')).toBe(401);
    await screenshot(page, 'login-1280-light');

    await signIn(page, 'not the password');
    await page.getByRole('alert').getByText('Wrong password. Check it and try again.').waitFor();
    await loginHeading(page).waitFor();

    await signIn(page, PASSWORD);
    await page.getByTestId('demo-banner').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).waitFor();
    expect(await adminStatus(page, '/api/accounts')).toBe(200);
    await screenshot(page, 'login-1280-light-signed-in');

    // A password from the environment is shown, not offered for change.
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('password-from-config').waitFor();
    expect(await page.getByTestId('password-form').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await loginHeading(page).waitFor();
    expect(await adminStatus(page, '/api/accounts')).toBe(401);
    expect(unexpected(problems)).toEqual([]);
  });

  it('shows the login page on a phone in the dark theme', async () => {
    const demo = await startDemo({ adminPassword: PASSWORD });
    demos.push(demo);
    const { page, problems } = await openPage(browser, { width: WIDTHS.phone, colorScheme: 'dark' });
    await preferDark(page);
    await page.goto(demo.url);
    await loginHeading(page).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await screenshot(page, 'login-390-dark');
    await signIn(page, PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await screenshot(page, 'login-390-dark-signed-in');
    expect(problems).toEqual([]);
  });
});
