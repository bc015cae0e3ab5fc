import { spawn } from 'node:child_process';

/** The command that opens a URL in the default browser on each platform. */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd built-in; the empty string is the window title it expects first.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  return ['xdg-open', [url]];
}

/** Resolves to null on success, or to the reason no browser could be opened. */
export function openBrowser(url: string): Promise<string | null> {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return Promise.resolve('no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)');
  }
  const [command, args] = browserCommand(url);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { stdio: 'ignore', detached: true });
    } catch (error) {
      resolve(`${command} could not start: ${(error as Error).message}`);
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT' ? `${command} is not installed` : `${command} failed: ${error.message}`,
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve(null);
    });
  });
}
