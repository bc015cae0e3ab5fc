import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parseIntLike } from './config/env.ts';
import { setPath, type Layer } from './config/layers.ts';
import type { SettingsLayer } from './config/schema.ts';
import { CliError, EXIT_CONFIG, EXIT_RUNTIME } from './errors.ts';
import { registerAccountsCommands } from './commands/accounts-cli.ts';
import { startServer, type RunningServer } from './server/serve.ts';
import { VERSION } from './version.ts';

interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  config?: string;
  open?: boolean;
  logLevel?: string;
}

const FLAG_SETTINGS: ReadonlyArray<{
  option: keyof ServeFlags;
  flag: string;
  key: string;
  numeric?: boolean;
}> = [
  { option: 'port', flag: '--port', key: 'server.port', numeric: true },
  { option: 'host', flag: '--host', key: 'server.host' },
  { option: 'logLevel', flag: '--log-level', key: 'server.logLevel' },
];

export function flagsLayer(flags: ServeFlags): Layer {
  const values: SettingsLayer = {};
  const origins = new Map<string, string>();
  for (const { option, flag, key, numeric } of FLAG_SETTINGS) {
    const raw = flags[option];
    if (typeof raw !== 'string') continue;
    setPath(values, key, numeric ? parseIntLike(raw) : raw);
    origins.set(key, flag);
  }
  return { kind: 'flag', label: 'command-line flags', values, origins };
}

function nonEmpty(name: string) {
  return (value: string) => {
    if (value.trim() === '') throw new InvalidArgumentError(`${name} must not be empty`);
    return value;
  };
}

async function serve(flags: ServeFlags): Promise<void> {
  const server = await startServer({
    dataDir: flags.dataDir,
    config: flags.config,
    open: flags.open,
    flags: flagsLayer(flags),
  });
  stopOnSignals(server);
}

async function demo(flags: ServeFlags): Promise<void> {
  // Loaded on demand: the simulator is of no use to `serve` and would cost it memory.
  const { startDemo } = await import('./commands/demo.ts');
  stopOnSignals(await startDemo({ flags: flagsLayer(flags), open: flags.open }));
}

/** First signal: graceful stop; second: exit at once. */
function stopOnSignals(server: RunningServer): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      server.ctx.logger.warn(`${signal} again: exiting at once`);
      server.ctx.logger.flush();
      process.exit(130);
    }
    server.ctx.logger.info(
      `${signal} received: finishing in-flight requests (up to 30 s; send again to exit at once)`,
    );
    server.stop(30_000).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The terminal closing: stop as gracefully (the demo then removes its temporary folder).
  process.on('SIGHUP', onSignal);
}

export function buildProgram(): Command {
  const program = new Command('better-manager')
    .description(
      'One local endpoint for many Google Antigravity accounts: proxy, account manager and dashboard.',
    )
    .usage('[serve] [serve options] | <command> [options]')
    .version(VERSION, '-v, --version', 'print the version')
    .exitOverride();

  const serveCommand = program
    .command('serve', { isDefault: true })
    .description('serve the dashboard and the proxy (default command)')
    .option('-p, --port <port>', 'port to listen on (default 8094)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option(
      '--data-dir <dir>',
      'data folder (default: the platform user data folder)',
      nonEmpty('--data-dir'),
    )
    .option('-c, --config <file>', 'config file (default <data-dir>/config.json)', nonEmpty('--config'))
    .option('--open', 'open the dashboard in the default browser')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info)')
    // Anything that is not a command lands here as an operand (serve is the default command).
    .allowExcessArguments()
    .action(async (flags: ServeFlags, command: Command) => {
      const [operand] = command.args;
      if (operand !== undefined) {
        const commands = program.commands.map((sub) => sub.name()).join(', ');
        if (program.args[0] === 'serve')
          command.error(`serve takes no arguments (got '${operand}')`, {
            exitCode: EXIT_CONFIG,
            code: 'commander.excessArguments',
          });
        program.error(`unknown command '${operand}'; the commands are ${commands}`, {
          exitCode: EXIT_CONFIG,
          code: 'commander.unknownCommand',
        });
      }
      await serve(flags);
    });

  program
    .command('demo')
    .description(
      'try everything without a Google account: the app on a simulated Google with sample accounts',
    )
    .option('-p, --port <port>', 'port to listen on (default 8094)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--open', 'open the dashboard in the default browser')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info)')
    .action(demo);

  registerAccountsCommands(program);

  // `better-manager --help` is the first thing a new user reads: show the default command's flags too.
  program.addHelpText('after', () => serveOptionsHelp(serveCommand));
  oneLineErrors(program, 'better-manager');
  return program;
}

/** The options of `serve`, formatted as commander formats an options list. */
function serveOptionsHelp(serveCommand: Command): string {
  const helper = serveCommand.createHelp();
  const options = helper.visibleOptions(serveCommand).filter((option) => option.long !== '--help');
  const width = Math.max(...options.map((option) => helper.optionTerm(option).length));
  const items = options.map((option) =>
    helper.formatItem(helper.optionTerm(option), width, helper.optionDescription(option), helper),
  );
  return `\nServe options (serve is the default command, so they work without it too):\n${items.join('\n')}\n`;
}

/** Usage errors become one line on stderr naming the help to read, like every other CLI failure. */
function oneLineErrors(command: Command, path: string): void {
  command.configureOutput({
    outputError: (text, write) =>
      write(
        `better-manager: ${text
          .trim()
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')} (see \`${path} --help\`)\n`,
      ),
  });
  for (const sub of command.commands) oneLineErrors(sub, `${path} ${sub.name()}`);
}

/** Runs the CLI; every expected failure becomes one line on stderr and an exit code. */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_CONFIG;
      return;
    }
    if (error instanceof CliError) {
      console.error(`better-manager: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    console.error(`better-manager: unexpected error: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = EXIT_RUNTIME;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
