import type { Logger } from 'pino';
import type { SettingsService } from '../config/settings-service.ts';
import type { AccountsService } from './service.ts';

/** Refreshes every account's quota on the configured interval (0 = manual only); re-armed when the setting changes. */
export class QuotaScheduler {
  private timer: NodeJS.Timeout | undefined;
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
  }

  /** Runs one refresh of all accounts unless one is already running. */
  runOnce(): Promise<unknown> {
    this.running ??= this.accounts
      .refreshAll()
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
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
