/**
 * Request and response bodies for the log, only when body logging is on (setting
 * `logging.bodies`, off by default): each cut to `logging.bodyMaxKb`, and any credential that a
 * body may carry masked before it is stored (product.md section 5).
 */

/** Values of these JSON keys are replaced whole. */
const SECRET_KEYS =
  /("(?:api_?key|apiKey|authorization|password|refresh_?token|refreshToken|access_?token|accessToken|client_?secret|clientSecret|id_?token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
/** Token shapes that may sit anywhere in a text (a key pasted into a prompt). */
const SECRET_SHAPES = [
  /1\/\/0[A-Za-z0-9_-]{20,}/g,
  /ya29\.[A-Za-z0-9_-]{20,}/g,
  /\bbm-[A-Za-z0-9_-]{32}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /GOCSPX-[A-Za-z0-9_-]{20,}/g,
  /AIza[A-Za-z0-9_-]{35}/g,
];

export function maskSecretsInText(text: string): string {
  let masked = text.replace(SECRET_KEYS, '$1"[redacted]"');
  for (const shape of SECRET_SHAPES) masked = masked.replace(shape, '[redacted]');
  return masked;
}

const TRUNCATED = '\n[truncated]';

/** Collects the text sent to a client up to a limit; adding beyond it costs a comparison. */
export class BodyCapture {
  private readonly limit: number;
  private parts: string[] = [];
  private length = 0;
  private cut = false;

  constructor(limitBytes: number) {
    this.limit = limitBytes;
  }

  add(text: string): void {
    if (this.cut || text.length === 0) return;
    const room = this.limit - this.length;
    if (text.length > room) {
      this.parts.push(text.slice(0, Math.max(0, room)));
      this.length = this.limit;
      this.cut = true;
      return;
    }
    this.parts.push(text);
    this.length += text.length;
  }

  get empty(): boolean {
    return this.length === 0;
  }

  /** The captured text, masked, with a mark when it was cut. */
  text(): string | undefined {
    if (this.length === 0) return undefined;
    return maskSecretsInText(this.parts.join('')) + (this.cut ? TRUNCATED : '');
  }
}

/** The client's request body as stored: JSON text, cut and masked. */
export function captureRequestBody(body: unknown, limitBytes: number): string | undefined {
  if (body === undefined || body === null) return undefined;
  let text: string;
  try {
    text = typeof body === 'string' ? body : JSON.stringify(body);
  } catch {
    return undefined;
  }
  const capture = new BodyCapture(limitBytes);
  capture.add(text);
  return capture.text();
}
