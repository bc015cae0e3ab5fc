import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';
import { cleanEnv, ROOT, tempDir, trackChild } from '../helpers/cli.ts';

const CODEX = join(ROOT, 'node_modules', '.bin', 'codex');
const A = 'alice.pro@gmail.com';

/** Why the real CLI cannot run here, or undefined when it can (its native binary ships in the npm package). */
function unavailableReason(): string | undefined {
  const probe = spawnSync(CODEX, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return `codex --version failed: ${probe.error.message}`;
  if (probe.status !== 0) return `codex --version exited ${probe.status}: ${probe.stderr.trim()}`;
  return undefined;
}
const skipReason = unavailableReason();
if (skipReason) console.warn(`Codex CLI conformance skipped: ${skipReason}`);

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts(A);
});
afterAll(async () => {
  await env.close();
});

/** `codex exec` as clients.md runs it, with a provider pointing at the proxy. */
function runCodex(
  prompt: string,
  options: { model?: string; sandbox?: 'read-only' | 'workspace-write' } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; work: string }> {
  const home = tempDir('bm-codex-home-');
  const codexHome = join(home, '.codex');
  const work = join(home, 'work');
  mkdirSync(codexHome);
  mkdirSync(work);
  writeFileSync(join(work, 'README.md'), 'Teh otters are here.\n');
  // Codex knows only its own models; for another it declares its tools from this catalog entry.
  const catalog = JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'codex', 'model-catalog.json'), 'utf8'),
  ) as {
    models: Array<Record<string, unknown>>;
  };
  if (options.model) {
    const models = catalog.models.map((model) => ({ ...model, slug: options.model }));
    writeFileSync(join(codexHome, 'catalog.json'), JSON.stringify({ models }));
  }
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      ...(options.model
        ? [`model = "${options.model}"`, `model_catalog_json = "${join(codexHome, 'catalog.json')}"`]
        : []),
      'model_provider = "bm"',
      'approval_policy = "never"',
      `sandbox_mode = "${options.sandbox ?? 'read-only'}"`,
      '',
      '[model_providers.bm]',
      'name = "Better Manager"',
      `base_url = "${env.url}/v1"`,
      'env_key = "BM_API_KEY"',
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
      '[analytics]',
      'enabled = false',
      '',
    ].join('\n'),
  );
  return new Promise((resolve) => {
    const child = spawn(CODEX, ['exec', '--skip-git-repo-check', '--color', 'never', prompt], {
      cwd: work,
      env: cleanEnv({ HOME: home, CODEX_HOME: codexHome, BM_API_KEY: 'conformance-key', RUST_LOG: 'error' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, work });
    });
  });
}

function logRows() {
  env.server.ctx.proxy.log.flush();
  return env.server.ctx.proxy.log.recent(50);
}

describe.skipIf(skipReason !== undefined)('Codex CLI through the proxy (Responses API)', () => {
  it('codex exec with a model in its config gets the simulator reply', async () => {
    const result = await runCodex('What is the capital of Peru?', { model: 'gemini-3-flash' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Simulated reply from gemini-3-flash');
    expect(result.stdout).toContain('What is the capital of Peru?');
  }, 150_000);

  it('codex exec without a model: its own default id is mapped by the default rules', async () => {
    const result = await runCodex('Say hi to the otters');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Simulated reply from gemini-/);
    const row = logRows().find((candidate) => candidate.route === '/v1/responses');
    expect(row?.status).toBe(200);
    expect(row?.requestedModel).not.toBe(row?.mappedModel);
  }, 150_000);

  it('applies a patch the model sends through its freeform apply_patch tool', async () => {
    const patch = [
      '*** Begin Patch',
      '*** Update File: README.md',
      '@@',
      '-Teh otters are here.',
      '+The otters are here.',
      '*** End Patch',
      '',
    ].join('\n');
    env.sim.script(A, 'gemini-3-flash', { kind: 'toolCall', name: 'apply_patch', args: { input: patch } });
    const result = await runCodex('Fix the typo in README.md', {
      model: 'gemini-3-flash',
      sandbox: 'workspace-write',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(result.work, 'README.md'), 'utf8')).toBe('The otters are here.\n');
    // The patch's outcome went back upstream as the custom tool call's output, and the turn completed.
    const calls = env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent');
    const last = calls.at(-1)!.body as {
      request: { contents: Array<{ parts: Array<Record<string, unknown>> }> };
    };
    expect(last.request.contents.flatMap((c) => c.parts).some((part) => part.functionResponse)).toBe(true);
  }, 150_000);
});
