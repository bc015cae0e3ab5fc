// The Dockerfile cannot be built here (no Docker daemon; CI's docker job builds and starts it), so it
// is checked three ways: dockerfile-utils lints it, its structure is read with dockerfile-ast, and
// the settings it gives the container are run through the real CLI, health check included.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, Env, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { ENV_SETTINGS } from '../../src/config/env.ts';
import { lintDockerfile, lintDockerfileText, formatFinding } from '../../scripts/lint-ci-files.mjs';
import {
  cleanEnv,
  freePort,
  ROOT,
  runCli,
  spawnCli,
  stopCli,
  tempDir,
  waitForHealth,
} from '../helpers/cli.ts';

interface Step {
  keyword: string;
  /** The arguments without flags, as written (continuations joined). */
  args: string;
  flags: Record<string, string | null>;
  /** The elements of a JSON (exec) form, else undefined. */
  json?: string[];
}

interface Stage {
  image: string;
  name: string | null;
  steps: Step[];
}

const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

function readStages(source: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(source).getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArgumentsContent() ?? '';
    if (keyword === 'FROM') {
      const [image = '', , name = null] = instruction.getArguments().map((arg) => arg.getValue());
      stages.push({ image, name, steps: [] });
      continue;
    }
    const flags: Record<string, string | null> = {};
    if (instruction instanceof ModifiableInstruction)
      for (const flag of instruction.getFlags()) flags[flag.getName()] = flag.getValue();
    const json =
      instruction instanceof JSONInstruction && instruction.getJSONStrings().length > 0
        ? instruction.getJSONStrings().map((part) => part.getJSONValue())
        : undefined;
    stages.at(-1)?.steps.push({ keyword, args, flags, json });
  }
  return stages;
}

const stages = readStages(text);
const build = stages[0]!;
const runtime = stages.at(-1)!;
const steps = (stage: Stage, keyword: string) => stage.steps.filter((step) => step.keyword === keyword);

/** The environment the runtime stage gives the container. */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') for (const key of Object.keys(env)) delete env[key];
    if (instruction instanceof Env)
      for (const property of instruction.getProperties()) env[property.getName()] = property.getValue() ?? '';
  }
  return env;
}

/** The health check's command in exec form, e.g. ["node", "-e", "..."]. */
function healthcheckCommand(): string[] {
  const [check] = steps(runtime, 'HEALTHCHECK');
  const exec = /^CMD\s+(\[[\s\S]*\])$/.exec(check?.args ?? '');
  if (!exec) throw new Error(`HEALTHCHECK is not in exec form: ${check?.args}`);
  return JSON.parse(exec[1]!) as string[];
}

describe('the Dockerfile, linted', () => {
  it('has no finding of dockerfile-utils, warnings included', () => {
    expect(lintDockerfile().map(formatFinding)).toEqual([]);
  });

  it('the linter reports what the Docker builder would refuse', () => {
    const broken = text
      .replace('HEALTHCHECK --interval', 'HEALTHCHECK --intervl')
      .replace('EXPOSE 8094', 'EXPOSE 8094/sctpx');
    const messages = lintDockerfileText(broken).map((finding) => finding.message);
    expect(messages).toContain('Unknown flag: intervl');
    expect(messages).toContain('Invalid proto: sctpx');
  });
});

describe('the Dockerfile, read', () => {
  it('builds in a Node 24 stage: npm ci, the build, npm pack', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build.image).toBe('node:24-bookworm-slim');
    const commands = steps(build, 'RUN').map((step) => step.args);
    expect(commands.join('\n')).toMatch(/npm ci\b[\s\S]*npm run build[\s\S]*npm pack\b/);
  });

  it('runs a second Node 24 stage that gets only the packed tarball and installs it', () => {
    expect(runtime.image).toMatch(/^node:24-(bookworm-slim|alpine)$/);
    const copies = steps(runtime, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.flags.from).toBe(build.name);
      expect(copy.args).toMatch(/\.tgz\s+\S+$/);
    }
    expect(steps(runtime, 'RUN').map((step) => step.args)).toContainEqual(
      expect.stringMatching(/npm install --global .*\.tgz/),
    );
  });

  it('pins every base image to a Node.js major version', () => {
    for (const stage of stages) expect(stage.image).toMatch(/^node:24-[a-z-]+$/);
  });

  it('runs as an unprivileged user that owns the data folder', () => {
    const users = steps(runtime, 'USER');
    const user = users.at(-1)?.args ?? 'root';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const userAt = runtime.steps.lastIndexOf(users.at(-1)!);
    const entrypointAt = runtime.steps.findIndex((step) => step.keyword === 'ENTRYPOINT');
    expect(userAt).toBeLessThan(entrypointAt);
    const setup = steps(runtime, 'RUN').map((step) => step.args);
    expect(setup.join('\n')).toContain(`chown ${user}:${user} /data`);
  });

  it('keeps its state in a /data volume, through the data folder variable the CLI reads', () => {
    expect(imageEnv().BETTER_MANAGER_DATA_DIR).toBe('/data');
    expect(readFileSync(join(ROOT, 'src/server/data-folder.ts'), 'utf8')).toContain(
      'env.BETTER_MANAGER_DATA_DIR',
    );
    expect(steps(runtime, 'VOLUME').map((step) => step.json ?? step.args.split(/\s+/))).toContainEqual([
      '/data',
    ]);
  });

  it('listens on every interface at the port it exposes, through settings the CLI reads', () => {
    const env = imageEnv();
    const names = ENV_SETTINGS.map((setting) => setting.name);
    expect(names).toEqual(expect.arrayContaining(['BETTER_MANAGER_HOST', 'BETTER_MANAGER_PORT']));
    expect(env.BETTER_MANAGER_HOST).toBe('0.0.0.0');
    expect(steps(runtime, 'EXPOSE').map((step) => step.args)).toEqual([env.BETTER_MANAGER_PORT]);
  });

  it('bakes in no admin password, API key or secret key', () => {
    const declared = [...Object.keys(imageEnv()), ...stages.flatMap((stage) => steps(stage, 'ARG'))];
    expect(JSON.stringify(declared)).not.toMatch(/PASSWORD|API_KEY|SECRET/);
  });

  it('checks its health with Node (the slim image has no curl) against /health', () => {
    const command = healthcheckCommand();
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/health');
    expect(command.join(' ')).not.toMatch(/\b(curl|wget)\b/);
  });

  it("starts the package's own command: better-manager serve", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(steps(runtime, 'ENTRYPOINT').map((step) => step.json)).toEqual([['better-manager']]);
    expect(Object.keys(pkg.bin)).toContain('better-manager');
    expect(steps(runtime, 'CMD').map((step) => step.json)).toEqual([['serve']]);
  });

  it("is what the README's docker run command expects: port, volume and password variable", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const run = /^docker run .*$/m.exec(readme)?.[0] ?? '';
    const port = imageEnv().BETTER_MANAGER_PORT;
    expect(run).toContain(`-p ${port}:${port}`);
    expect(run).toContain(`:${imageEnv().BETTER_MANAGER_DATA_DIR} `);
    expect(run).toContain('-e BETTER_MANAGER_ADMIN_PASSWORD=');
    expect(readme).toContain('docker build -t better-manager .');
  });

  it('leaves installed modules, builds, local data and secrets out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['**/node_modules', 'dist', '*.tgz', '.git', '.local', '*.db', 'secret.key', '.env'])
      expect(ignored).toContain(entry);
    // What the build stage copies must stay in the context.
    for (const needed of ['package.json', 'package-lock.json', '.npmrc', 'src', 'web', 'scripts', 'bin'])
      expect(ignored.filter((entry) => entry === needed || entry === '*' || entry === '.*')).toEqual([]);
  });
});

describe("the container's settings, run by the CLI", () => {
  const [entrypoint] = steps(runtime, 'ENTRYPOINT');
  const [cmd] = steps(runtime, 'CMD');
  const args = cmd?.json ?? [];

  async function containerEnv(extra: Record<string, string> = {}) {
    const port = String(await freePort());
    // Only the data folder differs from the image: /data is the container's.
    return {
      port,
      env: cleanEnv({
        ...imageEnv(),
        BETTER_MANAGER_PORT: port,
        BETTER_MANAGER_DATA_DIR: tempDir(),
        ...extra,
      }),
    };
  }

  function runHealthcheck(env: NodeJS.ProcessEnv): number | null {
    const [program, ...rest] = healthcheckCommand();
    expect(program).toBe('node');
    return spawnSync(process.execPath, rest, { env, timeout: 10_000 }).status;
  }

  it('refuses to start without an admin password, and says which variable to set', async () => {
    expect(entrypoint?.json).toEqual(['better-manager']);
    const { env } = await containerEnv();
    const result = await runCli(args, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Refusing to listen on 0.0.0.0 without an admin password');
    expect(result.stderr).toContain('BETTER_MANAGER_ADMIN_PASSWORD');
    // Nothing listens on the port: the health check the container would run fails.
    expect(runHealthcheck(env)).toBe(1);
  });

  it('starts with a password; the health check passes while it runs and fails once it stopped', async () => {
    const { env, port } = await containerEnv({ BETTER_MANAGER_ADMIN_PASSWORD: 'container-test-password' });
    const cli = spawnCli(args, { env });
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`);
      expect(cli.output()).not.toContain('container-test-password');
      expect(runHealthcheck(env)).toBe(0);
    } finally {
      await stopCli(cli);
    }
    if (process.platform !== 'win32') expect(await cli.exited).toBe(0);
    expect(runHealthcheck(env)).toBe(1);
  });
});
