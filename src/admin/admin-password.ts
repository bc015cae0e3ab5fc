import { createHmac, randomBytes } from 'node:crypto';
import type { SettingsService } from '../config/settings-service.ts';
import type { Store } from '../store/database.ts';
import { AdminCredentialsTable } from '../store/admin-credentials-table.ts';
import { secretsEqual } from './secrets-equal.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

/** Where the admin password comes from: `server.adminPassword` (config file, environment, flag) or the dashboard. */
export type AdminPasswordSource = 'config' | 'stored';

/** Scripts send the password as a Bearer on every call: a verified one is remembered, not hashed again. */
const MAX_REMEMBERED = 16;

/** Keyed per process: a memory dump must not hand out fast-to-guess digests of the password. */
const DIGEST_KEY = randomBytes(32);
const digest = (value: string) => createHmac('sha256', DIGEST_KEY).update(value).digest('hex');

/**
 * The admin password in force. One from the config file or environment wins and cannot be changed
 * here; otherwise the dashboard may set one, stored as an scrypt hash. The store is read on every
 * check (one indexed row), so every plugin's instance sees a change at once.
 */
export class AdminPassword {
  private readonly settings: SettingsService;
  private readonly table: AdminCredentialsTable;
  /** Digests of passwords verified against a stored hash, with that hash: a new hash forgets them. */
  private readonly verified = new Map<string, string>();

  constructor(ctx: { settings: SettingsService; store: Store }) {
    this.settings = ctx.settings;
    this.table = new AdminCredentialsTable(ctx.store);
  }

  source(): AdminPasswordSource | null {
    if (this.settings.current.server.adminPassword !== undefined) return 'config';
    return this.table.passwordHash() === undefined ? null : 'stored';
  }

  isSet(): boolean {
    return this.source() !== null;
  }

  /** Whether `given` is the password in force (false when there is none). */
  async matches(given: string): Promise<boolean> {
    const configured = this.settings.current.server.adminPassword;
    if (configured !== undefined) return secretsEqual(given, configured);
    const hash = this.table.passwordHash();
    if (hash === undefined) return false;
    const key = digest(given);
    if (this.verified.get(key) === hash) return true;
    if (!(await verifyPassword(given, hash))) return false;
    if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
    this.verified.set(key, hash);
    return true;
  }

  /** A check that costs no hashing: true only for a password verified before against the hash in force. */
  knownGood(given: string): boolean {
    const configured = this.settings.current.server.adminPassword;
    if (configured !== undefined) return secretsEqual(given, configured);
    const hash = this.table.passwordHash();
    return hash !== undefined && this.verified.get(digest(given)) === hash;
  }

  /** Stores a new password's hash, or removes the stored one (`null`). */
  async store(password: string | null): Promise<void> {
    this.verified.clear();
    if (password === null) this.table.clearPassword();
    else this.table.setPasswordHash(await hashPassword(password));
  }
}

/** For the start check: is there an admin password, from any source? */
export function hasAdminPassword(settings: SettingsService, store: Store): boolean {
  return new AdminPassword({ settings, store }).isSet();
}
