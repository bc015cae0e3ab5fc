// The README's screenshots: starts `better-manager demo` on a free port, sends a few proxied requests
// in each protocol so the charts and counters have data (and one rate limit, so the Accounts page has
// a cooldown to show), then saves the Dashboard and Accounts pages at 1280 px, light theme, English,
// from Debian's Chromium driven by playwright-core with the end-to-end harness's flags.
// Usage: node scripts/screenshots.mjs   (BM_CHROMIUM=/path/to/chromium to use another browser)
/* global fetch -- Node has fetch built in; the lint config lists only the globals the server uses */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
// The end-to-end harness's demo and browser, so the pictures show what the tests see.
import { launchBrowser, startDemo } from '../test/e2e/harness.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 1100 };
/** A README image over this is slow to load on the project page. */
const MAX_BYTES = 300 * 1024;

async function json(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}`);
  return response.json();
}

const post = (url, body, headers = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** Traffic in all three protocols on a few models; one account rate-limited once on the first model. */
async function sendTraffic(demo) {
  const config = await json(`${demo.url}/api/config`);
  const simulator = new URL(config.settings.upstream.baseUrls[0]).origin;
  const { data } = await json(`${demo.url}/v1/models`);
  const models = data.map((model) => model.id);
  const pick = (pattern) => models.find((id) => pattern.test(id));
  const gemini = pick(/flash/) ?? models[0];
  const geminiPro = pick(/pro/) ?? gemini;
  const claude = pick(/claude/) ?? gemini;

  const { accounts } = await json(`${demo.url}/api/accounts`);
  const active = accounts.find((account) => account.state === 'active');
  if (active) {
    await post(`${simulator}/__control/script`, {
      email: active.email,
      model: gemini,
      outcomes: [{ kind: 'error', preset: 'rateLimit', retryDelay: 25 * 60 }],
    });
  }

  const requests = [];
  for (let round = 0; round < 6; round++) {
    const prompt = `Screenshot traffic, round ${round}: say hello.`;
    requests.push(
      post(`${demo.url}/v1beta/models/${round % 2 ? geminiPro : gemini}:generateContent`, {
        contents: [{ role: 'user', parts: [{ text: prompt }] }],
      }),
      post(`${demo.url}/v1/chat/completions`, {
        model: round % 3 ? gemini : geminiPro,
        messages: [{ role: 'user', content: prompt }],
      }),
      post(
        `${demo.url}/v1/messages`,
        { model: claude, max_tokens: 256, messages: [{ role: 'user', content: prompt }] },
        { 'anthropic-version': '2023-06-01' },
      ),
    );
    // Spread over a few seconds, so the per-minute series is not one spike.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const statuses = (await Promise.all(requests)).map((response) => response.status);
  const failed = statuses.filter((status) => status >= 400).length;
  console.log(`screenshots: sent ${statuses.length} proxied requests (${failed} answered an error)`);
}

async function capture(browser, demo, path, name, ready) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    colorScheme: 'light',
    deviceScaleFactor: 1,
  });
  await context.addInitScript(
    "localStorage.setItem('bm.theme', 'light'); localStorage.setItem('bm.language', 'en');",
  );
  const page = await context.newPage();
  await page.goto(`${demo.url}${path}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await ready(page);
  await page.waitForLoadState('networkidle');
  // Charts animate in; the picture is taken once they have settled.
  await page.waitForTimeout(1500);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  await context.close();
  const bytes = statSync(file).size;
  console.log(`screenshots: ${relative(root, file)} ${(bytes / 1024).toFixed(0)} KB`);
  if (bytes > MAX_BYTES) throw new Error(`${relative(root, file)} is over ${MAX_BYTES / 1024} KB`);
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BM_BUILD_QUIET: '1' },
});
if (build.status !== 0) process.exit(build.status ?? 1);

mkdirSync(outDir, { recursive: true });
const demo = await startDemo();
let browser;
try {
  await sendTraffic(demo);
  browser = await launchBrowser();
  await capture(browser, demo, '/', 'dashboard', async (page) => {
    await page
      .locator('canvas')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => {});
  });
  await capture(browser, demo, '/accounts', 'accounts', async (page) => {
    await page
      .getByTestId('account-row')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => {});
  });
} finally {
  await browser?.close();
  await demo.stop();
}
