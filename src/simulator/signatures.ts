import { createHash, createHmac } from 'node:crypto';

/**
 * Thought signatures shaped like the real ones (wire.md §2.6), remembered on issue and verified on
 * replay by exact match: a well-formed signature the simulator never issued is as invalid as a
 * truncated one, which is what makes products keep signatures opaque.
 */

export type SignatureFamily = 'claude' | 'gemini-3' | 'gemini';

export interface IssuedSignature {
  family: SignatureFamily;
  email: string;
  model: string;
  /** Claude only: the whole thinking text the signature covers. */
  thinkingText?: string;
}

export interface SignatureMaterial {
  email: string;
  model: string;
  /** Anything that makes this reply distinct (request hash, sequence number, part index). */
  seed: string;
  sessionId?: string;
  thinkingText?: string;
}

/** Accepted by Gemini on replayed function calls whose real signature is unknown (CPA, ACP). */
export const SIGNATURE_SENTINELS: ReadonlySet<string> = new Set([
  'skip_thought_signature_validator',
  'context_engineering_is_the_way_to_go',
]);

// Fixed, so that the same (account, request) yields the same signature across runs; forging is
// still impossible because verification asks the registry, not the bytes.
const KEY = Buffer.from('better-manager simulator signature key');
const MAX_REMEMBERED = 100_000;

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function lengthField(field: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
}

function varintField(field: number, value: number): Buffer {
  return Buffer.concat([varint(field << 3), varint(value)]);
}

/** Deterministic pseudo-random bytes for one purpose of one signature. */
function bytes(material: SignatureMaterial, purpose: string, length: number): Buffer {
  const out: Buffer[] = [];
  for (let block = 0; out.length * 64 < length; block++) {
    const mac = createHmac('sha512', KEY);
    mac.update(`${purpose}\0${block}\0${material.email}\0${material.model}\0${material.seed}\0`);
    mac.update(material.thinkingText ?? '');
    out.push(mac.digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

/** Claude via Antigravity: base64 of the `E…` base64 of {2: container, 3: 1} (the double-layer `R` form). */
function claudeSignature(material: SignatureMaterial): string {
  const channel = Buffer.concat([
    varintField(1, 12),
    varintField(2, 2),
    varintField(3, 2),
    lengthField(5, bytes(material, 'signature', 64)),
  ]);
  const session = createHash('sha256')
    .update(material.sessionId ?? material.email)
    .digest()
    .subarray(0, 12);
  const container = Buffer.concat([
    lengthField(1, channel),
    lengthField(2, bytes(material, 'nonce', 12)),
    lengthField(3, session),
    lengthField(
      4,
      createHash('sha384')
        .update(material.thinkingText ?? '')
        .digest(),
    ),
  ]);
  const inner = Buffer.concat([lengthField(2, container), varintField(3, 1)]).toString('base64');
  return Buffer.from(inner).toString('base64');
}

/** Gemini 3: base64 of {2: {1: 0x01, key id (4 B), ciphertext}}, so it starts with `E`. */
function gemini3Signature(material: SignatureMaterial): string {
  const size = 180 + (bytes(material, 'size', 1)[0] ?? 0);
  const payload = Buffer.concat([
    Buffer.from([0x01]),
    bytes(material, 'key', 4),
    bytes(material, 'cipher', size),
  ]);
  return lengthField(2, lengthField(1, payload)).toString('base64');
}

/** Gemini 2.5: repeated field-1 form (`C…`). */
function gemini25Signature(material: SignatureMaterial): string {
  const payload = Buffer.concat([Buffer.from([0x01]), bytes(material, 'cipher', 140)]);
  return Buffer.concat([lengthField(1, payload), lengthField(1, bytes(material, 'tail', 36))]).toString(
    'base64',
  );
}

export class SignatureBook {
  readonly #issued = new Map<string, IssuedSignature>();

  issue(family: SignatureFamily, material: SignatureMaterial): string {
    const signature =
      family === 'claude'
        ? claudeSignature(material)
        : family === 'gemini-3'
          ? gemini3Signature(material)
          : gemini25Signature(material);
    const record: IssuedSignature = { family, email: material.email, model: material.model };
    if (family === 'claude') record.thinkingText = material.thinkingText ?? '';
    this.#issued.delete(signature);
    this.#issued.set(signature, record);
    if (this.#issued.size > MAX_REMEMBERED) {
      const oldest = this.#issued.keys().next().value;
      if (oldest !== undefined) this.#issued.delete(oldest);
    }
    return signature;
  }

  lookup(signature: string): IssuedSignature | undefined {
    return this.#issued.get(signature);
  }
}
