import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cleanEnv, freePort, runCli, tempDir } from '../helpers/cli.ts';

describe('start-up safety', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10'])(
    'refuses host %s without an admin password (exit 2)',
    async (host) => {
      const result = await runCli([
        '--host',
        host,
        '--port',
        String(await freePort()),
        '--data-dir',
        tempDir(),
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Refusing to listen on ${host} without an admin password`);
      expect(result.stderr).toContain('BETTER_MANAGER_ADMIN_PASSWORD');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('with an admin password the non-loopback check passes', async () => {
    // An address this machine does not have: the start gets past the password check and fails at listen.
    const result = await runCli(
      ['--host', '192.0.2.55', '--port', String(await freePort()), '--data-dir', tempDir()],
      {
        env: cleanEnv({ BETTER_MANAGER_ADMIN_PASSWORD: 'correct horse battery' }),
      },
    );
    expect(result.stderr).not.toContain('Refusing');
    expect(result.stderr).toContain('192.0.2.55');
    expect(result.code).toBe(2);
  });

  it('names the port when it is already in use (exit 1, no stack trace)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(['--port', String(port), '--data-dir', tempDir()]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is already in use`);
      expect(result.stderr).toContain('--port');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
