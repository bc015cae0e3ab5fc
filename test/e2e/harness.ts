/**
 * End-to-end harness: `better-manager demo` (the built bundle) driven by Debian's Chromium through
 * playwright-core (clients.md: headless, no sandbox, no background networking, a fresh profile).
 * Every page opened here records console errors and failed requests; `expectClean` fails on any.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  ROOT,
  cleanEnv,
  freePort,
  spawnCli,
  stopCli,
  waitForHealth,
  type RunningCli,
} from '../helpers/cli.ts';

export const CHROMIUM = process.env.BM_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
export const hasChromium = existsSync(CHROMIUM);

export interface Demo {
  url: string;
  cli: RunningCli;
  stop: () => Promise<void>;
}

/** Starts `better-manager demo` on a free port; resolves once /health answers (accounts imported). */
export async function startDemo(
  options: { adminPassword?: string; env?: Record<string, string> } = {},
): Promise<Demo> {
  const port = await freePort();
  const env: Record<string, string> = { ...options.env };
  if (options.adminPassword) env.BETTER_MANAGER_ADMIN_PASSWORD = options.adminPassword;
  const cli = spawnCli(['demo', '--port', String(port), '--log-level', 'warn'], { env: cleanEnv(env) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${url}/health`, 20_000);
  } catch (error) {
    await stopCli(cli);
    throw new Error(`${(error as Error).message}\n${cli.output()}`, { cause: error });
  }
  return { url, cli, stop: () => stopCli(cli) };
}

/** playwright-core gives each launch a fresh, temporary profile of its own (no --user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and failed or ≥ 400 requests seen so far. */
  problems: string[];
}

export const WIDTHS = { desktop: 1280, phone: 390 } as const;

/**
 * A fresh browser context (own cookies and storage) at the given width, recording every problem.
 * `allowStatus` lists statuses that the test provokes on purpose (a wrong password's 401).
 */
export async function openPage(
  browser: Browser,
  options: { width?: number; allowStatus?: number[]; colorScheme?: 'light' | 'dark' } = {},
): Promise<WatchedPage> {
  const width = options.width ?? WIDTHS.desktop;
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 844 : 900 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed = new Set(options.allowStatus ?? []);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Leaving a page cancels its event stream; that is not a failure.
    const failure = request.failure()?.errorText ?? '';
    if (failure.includes('ERR_ABORTED')) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowed.has(response.status()))
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return { page, context, problems };
}

/** Saves a full-page screenshot as a test artifact: test-artifacts/e2e/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
