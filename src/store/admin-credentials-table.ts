import type { Store } from './database.ts';

/** The admin password set from the dashboard: one row holding its scrypt hash (migration 7). */
export class AdminCredentialsTable {
  private readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  passwordHash(): string | undefined {
    const row = this.store.prepare('SELECT password_hash FROM admin_credentials WHERE id = 1').get() as
      { password_hash: string } | undefined;
    return row?.password_hash;
  }

  setPasswordHash(hash: string): void {
    this.store
      .prepare(
        'INSERT INTO admin_credentials (id, password_hash, updated_at) VALUES (1, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at',
      )
      .run(hash, Date.now());
  }

  clearPassword(): void {
    this.store.prepare('DELETE FROM admin_credentials WHERE id = 1').run();
  }
}
