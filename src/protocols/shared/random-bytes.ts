import { randomFillSync } from 'node:crypto';

/**
 * Random bytes for ids, taken from a pool refilled 4 KB at a time: one `randomBytes(18)` call per
 * id (several per request) was a few percent of the proxy's CPU. The ids need to be unique and
 * unguessable, not secret: the pool comes from the same CSPRNG.
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

export function pooledRandomBytes(length: number): Buffer {
  if (length > POOL_SIZE) return randomFillSync(Buffer.allocUnsafe(length));
  if (offset + length > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  // A copy: the pool is overwritten by the next refill.
  const bytes = Buffer.from(pool.subarray(offset, offset + length));
  offset += length;
  return bytes;
}
