/** An error that ends the CLI with a one-line message and a chosen exit code, never a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Exit codes: 1 = runtime failure (port in use, old Node), 2 = invalid configuration or usage. */
export const EXIT_RUNTIME = 1;
export const EXIT_CONFIG = 2;
