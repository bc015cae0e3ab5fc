import type { Logger } from 'pino';
import type { SettingsService } from '../config/settings-service.ts';
import type { AccountsService } from './service.ts';

/** After start, the accounts whose quota is older than one interval are refreshed this soon. */
export const STARTUP_REFRESH_DELAY_MS = 5_000;

/**
 * Refreshes every account's quota on the configured interval (0 = manual only); re-armed when the
 * setting changes. Shortly after start, accounts whose quota is older than one interval are
 * refreshed at once, so a restart does not leave the dashboard (and quota protection) on old
 * figures for a whole interval.
 */
export class QuotaScheduler {
  private timer: NodeJS.Timeout | undefined;
  private startupTimer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private intervalMinutes: number;
  private readonly accounts: AccountsService;
  private readonly settings: SettingsService;
  private readonly logger: Logger;
  private readonly onChange = () => this.arm();

  constructor(accounts: AccountsService, settings: SettingsService, logger: Logger) {
    this.accounts = accounts;
    this.settings = settings;
    this.logger = logger;
    this.intervalMinutes = settings.current.refresh.quotaIntervalMinutes;
  }

  start(): void {
    this.settings.on('change', this.onChange);
    this.arm(true);
    const minutes = this.intervalMinutes;
    if (minutes > 0) {
      this.startupTimer = setTimeout(() => {
        this.startupTimer = undefined;
        void this.runOnce({ staleBefore: Date.now() - minutes * 60_000 });
      }, STARTUP_REFRESH_DELAY_MS);
      this.startupTimer.unref();
    }
  }

  /** Runs one refresh (of all accounts, or of those fetched before `staleBefore`) unless one is already running. */
  runOnce(options: { staleBefore?: number } = {}): Promise<unknown> {
    this.running ??= this.accounts
      .refreshAll(options)
      .catch((error: unknown) => this.logger.error(`quota refresh failed: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private arm(force = false): void {
    const minutes = this.settings.current.refresh.quotaIntervalMinutes;
    if (!force && minutes === this.intervalMinutes) return;
    this.intervalMinutes = minutes;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (minutes > 0) {
      this.timer = setInterval(() => void this.runOnce(), minutes * 60_000);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.settings.off('change', this.onChange);
    if (this.startupTimer) clearTimeout(this.startupTimer);
    this.startupTimer = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
