import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, startDemo, WIDTHS, type Demo } from './harness.ts';

interface ConfigView {
  settings: {
    scheduling: { mode: string };
    models: { mapping: Array<{ match: string; target: string }> };
  };
}

describe.skipIf(!hasChromium)('Proxy page', () => {
  let demo: Demo;
  let browser: Browser;
  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  const config = async () => (await (await fetch(`${demo.url}/api/config`)).json()) as ConfigView;
  const sdk = (apiKey: string) => new OpenAI({ baseURL: `${demo.url}/v1`, apiKey, maxRetries: 0 });

  async function openProxyPage(page: Page) {
    await page.goto(`${demo.url}/proxy`);
    await page.getByRole('heading', { level: 1, name: 'Proxy' }).waitFor();
  }

  it('shows the status and the base URLs, and fills the setup snippets with this origin', async () => {
    const { page, problems } = await openPage(browser);
    await openProxyPage(page);
    const status = (await (await fetch(`${demo.url}/api/proxy/status`)).json()) as { accounts: number };
    await expect.poll(() => page.getByTestId('proxy-accounts').textContent()).toBe(String(status.accounts));
    await page.getByTestId('proxy-running').getByText('Running').waitFor();

    expect(await page.getByTestId('endpoint-openai').textContent()).toBe(`${demo.url}/v1`);
    expect(await page.getByTestId('endpoint-anthropic').textContent()).toBe(demo.url);
    await page.getByTestId('endpoint-openai').locator('..').getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${demo.url}/v1`);

    const panel = page.getByTestId('snippet-panel');
    expect(await panel.getByTestId('snippet-claude-code-env').textContent()).toContain(
      `export ANTHROPIC_BASE_URL='${demo.url}'`,
    );
    await page.getByRole('tab', { name: 'Codex CLI' }).click();
    const codex = await panel.getByTestId('snippet-codex-config').textContent();
    expect(codex).toContain(`base_url = "${demo.url}/v1"`);
    expect(codex).toContain('wire_api = "responses"');
    expect(codex).toContain('env_key = "BM_API_KEY"');
    // Arrow keys move along the tab list.
    await page.keyboard.press('ArrowRight');
    const gemini = await panel.getByTestId('snippet-gemini-cli-env').textContent();
    expect(gemini).toContain(`export GOOGLE_GEMINI_BASE_URL='${demo.url}'`);
    expect(gemini).toContain('export GEMINI_API_KEY=');
    await page.getByRole('tab', { name: 'Google GenAI SDK' }).click();
    expect(await panel.getByTestId('snippet-google-ts').textContent()).toContain(
      `httpOptions: { baseUrl: "${demo.url}" }`,
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it('adds a mapping rule, tests a name against it before and after saving, and keeps it after a reload', async () => {
    const { page, problems } = await openPage(browser);
    await openProxyPage(page);
    const editor = page.getByTestId('mapping-editor');
    const rows = editor.getByTestId('mapping-row');
    await rows.first().waitFor();
    const before = await rows.count();
    await editor.getByRole('button', { name: 'Add rule' }).click();
    const n = before + 1;
    await editor.getByLabel(`Rule ${n}: client model name or pattern`).fill('my-test-*');
    await editor.getByLabel(`Rule ${n}: upstream model id`).fill('no-such-upstream');
    await editor.getByTestId('mapping-editor-state').getByText('Unsaved changes').waitFor();

    // The unsaved rule already decides the test, and an id no account offers is flagged.
    await editor.getByTestId('mapping-test-input').fill('my-test-model');
    await editor.getByRole('button', { name: 'Test', exact: true }).click();
    const result = editor.getByTestId('mapping-test-result');
    await result.getByText('no-such-upstream').first().waitFor();
    await result.getByText('No account offers no-such-upstream right now', { exact: false }).waitFor();

    const upstream = 'gemini-3.1-pro-low';
    await editor.getByLabel(`Rule ${n}: upstream model id`).fill(upstream);
    await editor.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => result.getByTestId('mapping-test-upstream').textContent()).toBe(upstream);
    expect(await result.getByTestId('mapping-test-rule').textContent()).toBe(
      `Matched rule ${n}: my-test-* → ${upstream}`,
    );
    expect(await result.getByRole('alert').count()).toBe(0);
    expect(await editor.locator('[data-matched="true"]').count()).toBe(1);
    expect(await rows.nth(n - 1).getAttribute('data-matched')).toBe('true');

    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByTestId('mapping-editor-state').getByText('Saved', { exact: true }).waitFor();
    expect((await config()).settings.models.mapping.at(-1)).toEqual({ match: 'my-test-*', target: upstream });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Proxy' }).waitFor();
    await expect
      .poll(() => editor.getByLabel(`Rule ${n}: client model name or pattern`).inputValue())
      .toBe('my-test-*');
    expect(await editor.getByLabel(`Rule ${n}: upstream model id`).inputValue()).toBe(upstream);
    await editor.getByTestId('mapping-test-input').fill('my-test-model');
    await editor.getByTestId('mapping-test-input').press('Enter');
    await expect.poll(() => result.getByTestId('mapping-test-upstream').textContent()).toBe(upstream);
    expect(await rows.nth(n - 1).getAttribute('data-matched')).toBe('true');
    expect(problems).toEqual([]);
  }, 60_000);

  it('moves and deletes mapping rules from the keyboard, and the order decides the match', async () => {
    const { page, problems } = await openPage(browser);
    await openProxyPage(page);
    const editor = page.getByTestId('mapping-editor');
    const rows = editor.getByTestId('mapping-row');
    await rows.first().waitFor();
    const count = await rows.count();
    const pattern = (n: number) => editor.getByLabel(`Rule ${n}: client model name or pattern`);
    // Two rules that both match the name: the one higher up wins.
    await editor.getByRole('button', { name: 'Add rule' }).click();
    await pattern(count + 1).fill('my-order-*');
    await editor.getByLabel(`Rule ${count + 1}: upstream model id`).fill('gemini-3-flash');
    await editor.getByRole('button', { name: 'Add rule' }).click();
    await pattern(count + 2).fill('my-order-model');
    await editor.getByLabel(`Rule ${count + 2}: upstream model id`).fill('claude-sonnet-4-6');
    const test = async () => {
      await editor.getByTestId('mapping-test-input').fill('my-order-model');
      await editor.getByTestId('mapping-test-input').press('Enter');
      return editor.getByTestId('mapping-test-result').getByTestId('mapping-test-upstream');
    };
    await expect.poll(async () => (await test()).textContent()).toBe('gemini-3-flash');

    // Keyboard only: focus the last rule's "up" button and press Enter; the focus follows the rule.
    await editor.getByRole('button', { name: `Move rule ${count + 2} up` }).focus();
    await page.keyboard.press('Enter');
    expect(await pattern(count + 1).inputValue()).toBe('my-order-model');
    expect(await pattern(count + 2).inputValue()).toBe('my-order-*');
    await page.keyboard.press('Enter');
    expect(await pattern(count).inputValue()).toBe('my-order-model');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await expect.poll(focused).toBe(`Move rule ${count} up`);
    await expect.poll(async () => (await test()).textContent()).toBe('claude-sonnet-4-6');
    expect(await rows.nth(count - 1).getAttribute('data-matched')).toBe('true');

    await editor.getByRole('button', { name: `Move rule ${count} up` }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await pattern(count + 1).inputValue()).toBe('my-order-model');
    await expect.poll(focused).toBe(`Move rule ${count + 1} down`);

    // Delete both new rules again: the draft equals the saved list, so there is nothing to save.
    await editor.getByRole('button', { name: `Delete rule ${count + 2}` }).click();
    await editor.getByRole('button', { name: `Delete rule ${count + 1}` }).click();
    expect(await rows.count()).toBe(count);
    expect(await editor.getByTestId('mapping-editor-state').textContent()).toBe('');
    expect(await editor.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it('creates an API key the OpenAI SDK can use; revoking it in the UI locks that key out', async () => {
    const { page, problems } = await openPage(browser);
    await openProxyPage(page);
    const models = await sdk('no-key-configured-yet').models.list();
    const model = models.data.map((entry) => entry.id).find((id) => !id.includes('image'));
    expect(model).toBeDefined();
    const ask = (apiKey: string) =>
      sdk(apiKey).chat.completions.create({ model: model!, messages: [{ role: 'user', content: 'Hello' }] });

    // With no key configured the proxy accepts any key from loopback (src/proxy/client-auth.ts).
    await page
      .getByTestId('keys-access-note')
      .getByText('No API key is configured', { exact: false })
      .waitFor();
    await expect(ask('anything-goes-on-loopback')).resolves.toMatchObject({ object: 'chat.completion' });

    async function createKey(label: string): Promise<string> {
      await page.getByLabel('Label for a new key').fill(label);
      await page.getByRole('button', { name: 'Create key' }).click();
      const shown = page.getByTestId('new-api-key');
      await shown.waitFor();
      const key = (await shown.textContent())?.trim() ?? '';
      expect(key).toMatch(/^bm-/);
      await page.getByRole('dialog').getByText('Copy this key now', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await shown.waitFor({ state: 'hidden' });
      return key;
    }
    const laptopKey = await createKey('e2e laptop');
    expect(await page.getByTestId('snippet-claude-code-env').textContent()).toContain(laptopKey);
    const keeperKey = await createKey('e2e keeper');
    await page.getByTestId('keys-access-note').getByText('Clients must send one of these keys').waitFor();
    expect(await page.getByTestId('api-key-row').count()).toBe(2);

    const answer = await ask(laptopKey);
    expect(answer.choices[0]?.message.content).toBeTruthy();
    // Once a key exists, one is required on loopback too.
    await expect(ask('anything-goes-on-loopback')).rejects.toMatchObject({ status: 401 });

    async function revoke(label: string) {
      await page.getByRole('button', { name: `Revoke key ${label}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke this key?' });
      await dialog.getByText(`"${label}"`, { exact: false }).waitFor();
      await dialog.getByRole('button', { name: 'Revoke' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page
        .getByTestId('api-key-row')
        .filter({ hasText: label })
        .getByText('Revoked', { exact: true })
        .waitFor();
    }
    await revoke('e2e laptop');
    await expect(ask(laptopKey)).rejects.toMatchObject({ status: 401 });
    await expect(ask(keeperKey)).resolves.toMatchObject({ object: 'chat.completion' });

    // With every key revoked nothing is configured any more: loopback is open again, as the note says.
    await revoke('e2e keeper');
    await page
      .getByTestId('keys-access-note')
      .getByText('No API key is configured', { exact: false })
      .waitFor();
    await expect(ask(laptopKey)).resolves.toMatchObject({ object: 'chat.completion' });
    expect(problems).toEqual([]);
  }, 60_000);

  it('saves a scheduling mode that survives a reload, and refuses an out-of-range value before sending it', async () => {
    const { page, problems } = await openPage(browser);
    await openProxyPage(page);
    const form = page.getByTestId('scheduling-settings');
    const save = form.getByRole('button', { name: 'Save' });
    await form.getByTestId('scheduling-mode-sticky').waitFor();
    expect(await form.getByTestId('scheduling-mode-sticky').isChecked()).toBe(true);
    expect(await save.isDisabled()).toBe(true);

    await form.getByTestId('max-wait-seconds').fill('601');
    await form.getByText('Enter a value from 0 to 600.').waitFor();
    expect(await save.isDisabled()).toBe(true);
    await form.getByTestId('max-wait-seconds').fill('45');

    await form.getByTestId('scheduling-mode-round-robin').check();
    await form.getByTestId('scheduling-settings-state').getByText('Unsaved changes').waitFor();
    await save.click();
    await form.getByTestId('scheduling-settings-state').getByText('Saved', { exact: true }).waitFor();
    const saved = (await config()).settings.scheduling as { mode: string; maxWaitSeconds?: number };
    expect(saved).toMatchObject({ mode: 'round-robin', maxWaitSeconds: 45 });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Proxy' }).waitFor();
    await expect.poll(() => form.getByTestId('scheduling-mode-round-robin').isChecked()).toBe(true);
    expect(await form.getByTestId('max-wait-seconds').inputValue()).toBe('45');
    expect(await save.isDisabled()).toBe(true);

    // A change saved elsewhere reaches the open page through /api/events.
    const response = await fetch(`${demo.url}/api/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scheduling: { mode: 'balance' } }),
    });
    expect(response.status).toBe(200);
    await expect.poll(() => form.getByTestId('scheduling-mode-balance').isChecked()).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it('fits a phone and a desktop, in light and dark', async () => {
    for (const width of [WIDTHS.desktop, WIDTHS.phone]) {
      for (const scheme of ['light', 'dark'] as const) {
        const { page, context, problems } = await openPage(browser, { width, colorScheme: scheme });
        await context.addInitScript((theme) => localStorage.setItem('bm.theme', theme), scheme);
        await openProxyPage(page);
        await page.getByTestId('mapping-row').first().waitFor();
        await page.getByTestId('proxy-accounts').waitFor();
        expect(await page.locator('html').getAttribute('data-theme')).toBe(scheme);
        // Nothing wider than the screen: tables and code scroll inside their own boxes.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await screenshot(page, `proxy-${width}-${scheme}`);
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  }, 180_000);
});
