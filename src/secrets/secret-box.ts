import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';
const FORMAT = 'v1';

/**
 * Encrypts secrets at rest (refresh and access tokens) with AES-256-GCM. Sealed values are
 * `v1:<iv>:<tag>:<ciphertext>` in base64url, so a database dump shows no token text.
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
    this.key = key;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      FORMAT,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      data.toString('base64url'),
    ].join(':');
  }

  open(sealed: string): string {
    const [format, iv, tag, data] = sealed.split(':');
    if (format !== FORMAT || !iv || !tag || data === undefined) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new Error(
        'A stored secret cannot be decrypted: the secret key differs from the one it was sealed with',
      );
    }
  }
}

/**
 * The key comes from BETTER_MANAGER_SECRET_KEY (64 hex chars or 44 base64 chars are used as is;
 * any other text is hashed into a key) or from `<dataDir>/secret.key`, created once with mode 0600.
 */
export function loadSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.BETTER_MANAGER_SECRET_KEY?.trim();
  if (fromEnv) return keyFromText(fromEnv);
  const path = join(dataDir, SECRET_KEY_FILE);
  if (existsSync(path)) return keyFromText(readFileSync(path, 'utf8').trim());
  const key = randomBytes(32);
  // Written to a temporary file and renamed, so a crash never leaves a half-written key behind.
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  return key;
}

function keyFromText(text: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === 32) return decoded;
  }
  return createHash('sha256').update(`better-manager:${text}`).digest();
}
