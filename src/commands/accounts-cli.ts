import type { Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ImportFormatError, readImportBody } from '../accounts/import-formats.ts';
import { FLOW_LIFETIME_MS, OAuthFlowError, type FlowCompletion } from '../accounts/oauth-flow.ts';
import { createAccountsRuntime, type AccountsRuntime } from '../accounts/runtime.ts';
import type { AccountView } from '../accounts/views.ts';
import { CliError, EXIT_CONFIG, EXIT_RUNTIME } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { openBrowser } from '../open-browser.ts';
import { openDataFolder } from '../server/data-folder.ts';

const RETRYABLE = new Set(['invalid_input', 'state_mismatch']);

interface FolderFlags {
  dataDir?: string;
  config?: string;
}

/** Opens the data folder and the accounts part for one command, and closes both afterwards. */
async function withAccounts<T>(
  flags: FolderFlags,
  work: (runtime: AccountsRuntime) => Promise<T>,
): Promise<T> {
  const folder = openDataFolder({
    dataDir: flags.dataDir,
    config: flags.config,
    flags: { kind: 'flag', label: 'command-line flags', values: {} },
    env: process.env,
  });
  const logger = createLogger('warn', process.stderr);
  const runtime = createAccountsRuntime({
    store: folder.store,
    settings: folder.settings,
    dataDir: folder.dataDir,
    logger,
  });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
    folder.close();
  }
}

function quotaSummary(account: AccountView): string {
  const known = account.quota.models.filter((model) => model.status === 'known');
  if (account.quota.models.length === 0) return 'no quota yet';
  if (known.length === 0) return 'quota unknown';
  const lowest = Math.min(...known.map((model) => model.percent));
  return `${known.length}/${account.quota.models.length} models known, lowest ${lowest}%`;
}

function printTable(accounts: AccountView[]): void {
  if (accounts.length === 0) {
    console.log(
      'No accounts yet. Add one with `better-manager accounts add` or `better-manager accounts import FILE`.',
    );
    return;
  }
  const rows = accounts.map((a) => [
    a.id.slice(0, 8),
    a.email,
    a.state + (a.isCurrent ? ' (current)' : ''),
    a.tier ?? '?',
    a.projectId ?? '—',
    quotaSummary(a),
    a.label ?? '',
  ]);
  const header = ['ID', 'EMAIL', 'STATE', 'TIER', 'PROJECT', 'QUOTA', 'LABEL'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
}

/** Finds an account by full id, id prefix (8+ chars shown by `list`) or email. */
function findAccount(runtime: AccountsRuntime, reference: string): AccountView {
  const all = runtime.service.list();
  const matches = all.filter(
    (a) =>
      a.id === reference ||
      a.email.toLowerCase() === reference.toLowerCase() ||
      (reference.length >= 4 && a.id.startsWith(reference)),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0)
    throw new CliError(
      `No account matches "${reference}" (use an id from \`accounts list\` or an email)`,
      EXIT_CONFIG,
    );
  throw new CliError(`"${reference}" matches ${matches.length} accounts; give more of the id`, EXIT_CONFIG);
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT_CONFIG,
    );
  }
}

/** Errors that mean the path given is wrong (usage), not that the machine failed (runtime). */
const BAD_PATH = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENAMETOOLONG']);

/** Writes a file only its owner may read, or fails with one line naming the file and the reason. */
function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text, { mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `the folder ${dirname(resolvePath(file))} does not exist`
        : (code ?? (error as Error).message);
    throw new CliError(
      `Cannot write ${file}: ${reason}`,
      code && BAD_PATH.has(code) ? EXIT_CONFIG : EXIT_RUNTIME,
    );
  }
}

/** A file of ours or Antigravity-Manager's is JSON; anything else is read as refresh tokens, one per line. */
function importBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { refreshTokens: text };
  }
}

async function addByOAuth(runtime: AccountsRuntime, options: { browser: boolean }): Promise<void> {
  // A one-off loopback listener receives Google's redirect; a pasted code or URL works as well.
  const { createServer } = await import('node:http');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const flow = runtime.flows.start(`http://localhost:${port}/oauth-callback`);
  const reader = createInterface({ input: process.stdin, terminal: false });
  let expiry: NodeJS.Timeout | undefined;
  try {
    console.log('Open this URL in a browser and sign in with the Google account to add:\n');
    console.log(`  ${flow.authUrl}\n`);
    console.log(
      'If the browser runs on another machine, paste the code or the whole address it ends on here:',
    );
    // Every listener is in place before anything is awaited: a line or the end of standard input
    // may come at once (a pipe, /dev/null) and must not be missed.
    const result = await new Promise<FlowCompletion>((resolve, reject) => {
      let settled = false;
      let pasting = 0;
      let inputEnded = false;
      let openingBrowser = options.browser;
      let browserOpened = false;
      let lastPasteError: Error | undefined;
      const fail = (error: CliError) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      /** A browser callback settles the flow either way; a bad paste may be corrected and pasted again. */
      const attempt = async (
        input: { callbackUrl?: string; code?: string },
        retryable: boolean,
      ): Promise<FlowCompletion> => {
        if (settled) throw new Error('This sign-in is already finished');
        try {
          const done = await runtime.flows.complete(flow.state, input);
          settled = true;
          resolve(done);
          return done;
        } catch (error) {
          const canRetry = retryable && error instanceof OAuthFlowError && RETRYABLE.has(error.code);
          if (!canRetry) fail(new CliError((error as Error).message, EXIT_RUNTIME));
          throw error;
        }
      };
      /** Once standard input has ended, only a browser that was opened here can still finish the sign-in. */
      const checkInputEnded = () => {
        if (settled || !inputEnded || pasting > 0 || openingBrowser) return;
        if (browserOpened && !process.stdin.isTTY) {
          console.error('(standard input ended: waiting for the browser to finish the sign-in)');
          return;
        }
        fail(
          new CliError(
            lastPasteError
              ? `No valid code was given before standard input ended: ${lastPasteError.message}`
              : 'No code was given: standard input ended before a code or the callback address was pasted',
            EXIT_CONFIG,
          ),
        );
      };
      expiry = setTimeout(
        () => fail(new CliError('The sign-in expired after 10 minutes; run the command again', EXIT_RUNTIME)),
        FLOW_LIFETIME_MS,
      );
      server.on('request', (request, response) => {
        const url = new URL(request.url ?? '/', `http://localhost:${port}`);
        if (url.pathname !== '/oauth-callback') {
          response.writeHead(404).end();
          return;
        }
        const reply = (status: number, text: string) =>
          response
            .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
            .end(text);
        attempt({ callbackUrl: url.toString() }, false).then(
          (done) => reply(200, `${done.account.email} added. You can close this tab.`),
          (error: Error) => reply(400, error.message),
        );
      });
      reader.on('line', (line) => {
        const input = line.trim();
        if (!input || settled) return;
        const pasted =
          input.includes('://') || input.includes('state=') ? { callbackUrl: input } : { code: input };
        pasting++;
        attempt(pasted, true)
          .catch((error: Error) => {
            lastPasteError = error;
            if (!settled && !inputEnded)
              console.error(`${error.message}\nPaste again, or press Ctrl+C to give up.`);
          })
          .finally(() => {
            pasting--;
            checkInputEnded();
          });
      });
      reader.on('close', () => {
        inputEnded = true;
        checkInputEnded();
      });
      if (options.browser) {
        void openBrowser(flow.authUrl).then((problem) => {
          if (problem) console.error(`(not opening a browser: ${problem})`);
          browserOpened = !problem;
          openingBrowser = false;
          checkInputEnded();
        });
      }
    });
    console.log(
      `${result.outcome === 'created' ? 'Added' : 'Updated'} ${result.account.email} (${result.account.state}, tier ${result.account.tier ?? 'unknown'}).`,
    );
  } finally {
    clearTimeout(expiry);
    reader.close();
    // Lets the browser's page finish loading; a stuck connection is cut after a second.
    const forced = setTimeout(() => server.closeAllConnections(), 1000);
    await new Promise((resolve) => server.close(resolve));
    clearTimeout(forced);
  }
}

export function registerAccountsCommands(program: Command): void {
  const accounts = program
    .command('accounts')
    .description('manage the Google accounts in the data folder (works whether or not the server runs)')
    .option('--data-dir <dir>', 'data folder (default: the platform user data folder)')
    .option('-c, --config <file>', 'config file (default <data-dir>/config.json)');
  const folder = (): FolderFlags => accounts.opts<FolderFlags>();

  accounts
    .command('list')
    .description('list accounts with state, tier and quota')
    .option('--json', 'print JSON (tokens masked)')
    .action(async (options: { json?: boolean }) =>
      withAccounts(folder(), async (runtime) => {
        const list = runtime.service.list();
        if (options.json) console.log(JSON.stringify(list, null, 2));
        else printTable(list);
      }),
    );

  accounts
    .command('add')
    .description('add an account by signing in with Google (browser callback or pasted code)')
    .option('--no-browser', 'only print the sign-in URL')
    .action(async (options: { browser: boolean }) =>
      withAccounts(folder(), (runtime) => addByOAuth(runtime, options)),
    );

  accounts
    .command('import')
    .argument(
      '<file>',
      'refresh tokens (one per line), our export file, or Antigravity-Manager account JSON; - for stdin',
    )
    .description('import accounts; each one is verified with Google before it is stored')
    .action(async (file: string) =>
      withAccounts(folder(), async (runtime) => {
        let items;
        try {
          items = readImportBody(importBody(readInput(file)));
        } catch (error) {
          if (error instanceof ImportFormatError)
            throw new CliError(`${file}: ${error.message}`, EXIT_CONFIG);
          throw error;
        }
        const results = await runtime.service.importItems(items);
        for (const result of results) {
          const who = result.email ?? `entry ${result.index + 1}`;
          console.log(
            result.outcome === 'failed'
              ? `failed   ${who}: ${result.error}`
              : `${result.outcome.padEnd(8)} ${who} (${result.state})`,
          );
        }
        const failed = results.filter((result) => result.outcome === 'failed').length;
        console.log(`${results.length - failed} imported, ${failed} failed`);
        if (failed > 0) process.exitCode = EXIT_RUNTIME;
      }),
    );

  accounts
    .command('export')
    .argument('<file>', 'where to write (- for stdout); the file holds refresh tokens: keep it private')
    .description('export all accounts with their refresh tokens')
    .action(async (file: string) =>
      withAccounts(folder(), async (runtime) => {
        const text = `${JSON.stringify(runtime.service.exportAll(), null, 2)}\n`;
        if (file === '-') process.stdout.write(text);
        else {
          writeOutput(file, text);
          console.error(`Wrote ${runtime.service.list().length} accounts to ${file}`);
        }
      }),
    );

  accounts
    .command('remove')
    .argument('<account>', 'account id (or its first characters) or email')
    .description('remove an account')
    .action(async (reference: string) =>
      withAccounts(folder(), async (runtime) => {
        const account = findAccount(runtime, reference);
        runtime.service.remove(account.id);
        console.log(`Removed ${account.email}`);
      }),
    );
}
