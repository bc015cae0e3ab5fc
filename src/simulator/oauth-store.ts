import { randomBytes } from 'node:crypto';

/** Authorization codes, access tokens and refresh tokens the simulator has issued. */

export const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface AuthCode {
  email: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string;
  challengeMethod?: string;
  offline: boolean;
  forceConsent: boolean;
  expiresAt: number;
}

interface AccessGrant {
  email: string;
  expiresAt: number;
}

interface RefreshGrant {
  email: string;
  scope: string;
  revoked: boolean;
}

function random(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64url')
    .slice(0, length);
}

export type AccessLookup = { email: string } | 'expired' | 'unknown';

export class OAuthStore {
  readonly #codes = new Map<string, AuthCode>();
  readonly #access = new Map<string, AccessGrant>();
  readonly #refresh = new Map<string, RefreshGrant>();

  createCode(grant: AuthCode): string {
    const code = `4/0A${random(70)}`;
    this.#codes.set(code, grant);
    return code;
  }

  /** The code's grant if it exists and has not expired; it stays usable until `consumeCode`. */
  findCode(code: string, now: number): AuthCode | undefined {
    const grant = this.#codes.get(code);
    if (!grant) return undefined;
    if (grant.expiresAt <= now) {
      this.#codes.delete(code);
      return undefined;
    }
    return grant;
  }

  consumeCode(code: string): void {
    this.#codes.delete(code);
  }

  issueAccess(email: string, lifetimeSeconds: number, now: number): string {
    const token = `ya29.a0${random(150)}`;
    this.#access.set(token, { email, expiresAt: now + lifetimeSeconds * 1000 });
    return token;
  }

  issueRefresh(email: string, scope: string, token = `1//0g${random(98)}`): string {
    this.#refresh.set(token, { email, scope, revoked: false });
    return token;
  }

  lookupAccess(token: string, now: number): AccessLookup {
    const grant = this.#access.get(token);
    if (!grant) return 'unknown';
    if (grant.expiresAt <= now) return 'expired';
    return { email: grant.email };
  }

  lookupRefresh(token: string): RefreshGrant | undefined {
    return this.#refresh.get(token);
  }

  revokeRefreshTokens(email: string): void {
    for (const grant of this.#refresh.values()) if (grant.email === email) grant.revoked = true;
  }
}
