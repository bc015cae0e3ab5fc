/** Steps the Accounts page's end-to-end test repeats: finding a row, deleting through it, the API around it. */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Demo } from './harness.ts';
import type { AccountView } from '../../web/src/pages/accounts/types.ts';

/** Browser steps on a machine shared by several test runs can take a while; none of them hangs. */
export const BROWSER_TEST_MS = 90_000;
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

export interface ExportDocument {
  accounts: Array<{ email: string; refreshToken: string }>;
}

export const rowOf = (page: Page, email: string): Locator =>
  page
    .getByTestId('account-row')
    .filter({ has: page.getByTestId('account-email').getByText(email, { exact: true }) });

export async function openAccounts(page: Page, demo: Demo): Promise<void> {
  await page.goto(`${demo.url}/accounts`);
  await page.getByTestId('account-row').first().waitFor();
}

export async function deleteThroughRow(page: Page, email: string): Promise<void> {
  const row = rowOf(page, email);
  await row.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this account?' });
  await poll(() => dialog.textContent()).toContain(email);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
}

export async function apiJson<T>(demo: Demo, path: string): Promise<T> {
  const response = await fetch(`${demo.url}${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Has the demo's simulator answer one 429 with a retry hint for every active account on `model`
 * (through its control route: the simulator runs inside the demo process), then sends one
 * proxied request, which meets them all. Returns the proxy's answer.
 */
export async function rateLimitEveryAccount(demo: Demo, model: string, seconds: number): Promise<Response> {
  const config = await apiJson<{ settings: { upstream: { baseUrls: string[] } } }>(demo, '/api/config');
  const simulator = new URL(config.settings.upstream.baseUrls[0]!).origin;
  const { accounts } = await apiJson<{ accounts: AccountView[] }>(demo, '/api/accounts');
  for (const account of accounts.filter((candidate) => candidate.state === 'active')) {
    const scripted = await fetch(`${simulator}/__control/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: account.email,
        model,
        outcomes: [{ kind: 'error', preset: 'rateLimit', retryDelay: seconds }],
      }),
    });
    if (scripted.status !== 200) throw new Error(`scripting ${account.email}: ${await scripted.text()}`);
  }
  return fetch(`${demo.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] }),
  });
}

/** The account's quota as the API states a model it knows nothing about: one unknown, stale model. */
export function unknownQuota(account: AccountView): AccountView['quota'] {
  return {
    ...account.quota,
    stale: true,
    models: [
      {
        model: 'gemini-3.1-pro-low',
        displayName: 'Gemini 3.1 Pro (Low)',
        status: 'unknown',
        fetchedAt: null,
        stale: true,
      },
    ],
  };
}

/** The page's account list answers `accounts` with `changed` in place of the account of the same id. */
export async function answerAccountsWith(
  page: Page,
  accounts: AccountView[],
  changed: AccountView,
): Promise<void> {
  await page.route('**/api/accounts', (route) =>
    route.fulfill({
      json: { accounts: accounts.map((account) => (account.id === changed.id ? changed : account)) },
    }),
  );
}

/** Every PATCH of one account answers 409 with `message`; its other calls go through. */
export async function refusePatchOf(page: Page, id: string, message: string): Promise<void> {
  await page.route(`**/api/accounts/${id}`, (route) =>
    route.request().method() === 'PATCH'
      ? route.fulfill({ status: 409, json: { error: { code: 'conflict', message } } })
      : route.fallback(),
  );
}
