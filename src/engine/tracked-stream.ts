import type { UpstreamChunk } from '../google/generate-client.ts';
import { streamBrokenFrom } from './errors.ts';

export interface StreamOutcome {
  status: number;
  errorClass?: string;
  errorMessage?: string;
}

/**
 * The events after the first, as the protocol reads them, with the exchange's end observed once:
 * `onEnd` gets 200 when the upstream finished, the StreamBrokenError's status when it failed
 * (which the reader then gets), or 499 when the reader stopped early (the client went away),
 * in which case the upstream request is closed.
 *
 * A plain iterator rather than an async generator: a generator's machinery cost every event a
 * few promises and a resumption, a measurable share of the engine's CPU.
 */
export class TrackedStream implements AsyncIterableIterator<UpstreamChunk> {
  private readonly source: AsyncIterator<UpstreamChunk>;
  private readonly signal: AbortSignal;
  private readonly onChunk: (chunk: UpstreamChunk) => void;
  private readonly onEnd: (outcome: StreamOutcome) => void;
  private ended = false;

  constructor(options: {
    source: AsyncIterator<UpstreamChunk>;
    signal: AbortSignal;
    onChunk: (chunk: UpstreamChunk) => void;
    onEnd: (outcome: StreamOutcome) => void;
  }) {
    this.source = options.source;
    this.signal = options.signal;
    this.onChunk = options.onChunk;
    this.onEnd = options.onEnd;
  }

  next(): Promise<IteratorResult<UpstreamChunk>> {
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return this.source.next().then(
      (result) => {
        if (result.done) this.end({ status: 200 });
        else this.onChunk(result.value);
        return result;
      },
      (error: unknown) => {
        const broken = this.signal.aborted ? undefined : streamBrokenFrom(error);
        this.end(
          broken
            ? { status: broken.status, errorClass: broken.code, errorMessage: broken.message }
            : { status: 499, errorClass: 'client_closed' },
        );
        throw broken ?? error;
      },
    );
  }

  async return(): Promise<IteratorResult<UpstreamChunk>> {
    if (!this.ended) {
      this.end({ status: 499, errorClass: 'client_closed' });
      await this.source.return?.();
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(outcome: StreamOutcome): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(outcome);
  }
}
