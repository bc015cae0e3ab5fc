import type { Dispatcher } from 'undici';
import { SseDecoder } from './sse-reader.ts';

/**
 * The events of one `streamGenerateContent` response as an async iterator, fed straight by
 * undici's dispatch callbacks: no Readable, no TextDecoder and no chain of generators per
 * response (each cost memory for every open stream and CPU for every event).
 *
 * `next()` hands out parsed events in order; an error (set with `fail`) is thrown by the
 * `next()` that reaches it. Reading slower than the upstream sends pauses the socket.
 */
export class UpstreamEventStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiter:
    { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private failure: unknown;
  private finished = false;
  private readonly pause: () => void;
  private readonly resume: () => void;
  private readonly onClose: () => void;
  private paused = false;

  /** Events queued beyond this pause the upstream socket until the reader catches up. */
  static readonly HIGH_WATER = 32;

  constructor(hooks: { pause: () => void; resume: () => void; onClose: () => void }) {
    this.pause = hooks.pause;
    this.resume = hooks.resume;
    this.onClose = hooks.onClose;
  }

  push(event: T): void {
    if (this.finished) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ value: event, done: false });
      return;
    }
    this.queue.push(event);
    if (!this.paused && this.queue.length >= UpstreamEventStream.HIGH_WATER) {
      this.paused = true;
      this.pause();
    }
  }

  /** The body ended normally: queued events are still delivered, then `done`. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.settleWaiter();
  }

  /** The exchange failed: queued events are still delivered, then `error` is thrown. */
  fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = error;
    this.settleWaiter();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) {
      const value = this.queue.shift() as T;
      if (this.paused && this.queue.length < UpstreamEventStream.HIGH_WATER / 2) {
        this.paused = false;
        this.resume();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.finished) {
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.failure = undefined;
        return Promise.reject(failure);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** The reader stopped early (its client went away): the upstream request is aborted. */
  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.failure = undefined;
    if (!this.finished) {
      this.finished = true;
      this.settleWaiter();
    }
    this.onClose();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settleWaiter(): void {
    const waiter = this.waiter;
    if (!waiter || this.queue.length > 0) return;
    this.waiter = undefined;
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      waiter.reject(failure);
    } else {
      waiter.resolve({ value: undefined, done: true });
    }
  }
}

export interface SseHandlerHooks<T> {
  /** Parses one event's data; throws (an UpstreamError) for an error object inside the stream. */
  parse: (data: string) => T | undefined;
  /** Called for every event, including the first: resets the idle timer. */
  onEvent: () => void;
  /** A non-2xx answer: its status, headers and (up to `maxErrorBody` characters of) body text. */
  errorFromBody: (
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
  ) => Error;
  /** Maps a transport error (or the reason given to `abort`) to the error the reader sees. */
  mapError: (error: Error) => unknown;
  /** The exchange is over, however it ended: clear timers and listeners. */
  onFinished: () => void;
  maxErrorBody: number;
}

/**
 * undici dispatch handler for `streamGenerateContent?alt=sse`: decodes the SSE body as it
 * arrives into an UpstreamEventStream, or collects an error body and fails the stream with it.
 */
export class SseDispatchHandler<T> implements Dispatcher.DispatchHandler {
  readonly events: UpstreamEventStream<T>;
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: Error | undefined;
  private readonly hooks: SseHandlerHooks<T>;
  private readonly decoder = new SseDecoder();
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private errorText: string | undefined;
  private finished = false;
  private readonly onData = (data: string) => this.event(data);

  constructor(hooks: SseHandlerHooks<T>) {
    this.hooks = hooks;
    this.events = new UpstreamEventStream<T>({
      pause: () => this.controller?.pause(),
      resume: () => this.controller?.resume(),
      onClose: () => this.abort(new Error('The reader closed the stream')),
    });
  }

  /** Stops the exchange; the reader sees `reason` mapped by `mapError` (unless it already finished). */
  abort(reason: Error): void {
    if (this.finished) return;
    this.abortReason ??= reason;
    if (this.controller) this.controller.abort(reason);
    else this.finish(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    // The raw header buffers are views of the socket's read chunk: keeping them (undici leaves
    // them on the controller) would pin a kilobyte or two per open stream for its whole life.
    controller.rawHeaders = null;
    if (statusCode < 200 || statusCode >= 300) {
      this.headers = headers;
      this.errorText = '';
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.finished) return;
    if (this.errorText !== undefined) {
      this.errorText += chunk.toString('utf8');
      if (this.errorText.length > this.hooks.maxErrorBody) {
        this.failWith(this.hooks.errorFromBody(this.status, this.headers, this.errorText));
        controller.abort(new Error('error body too long'));
      }
      return;
    }
    try {
      this.decoder.push(chunk, this.onData);
    } catch (error) {
      this.failWith(error);
      controller.abort(error as Error);
    }
  }

  onResponseEnd(): void {
    if (this.finished) return;
    if (this.errorText !== undefined) {
      this.failWith(this.hooks.errorFromBody(this.status, this.headers, this.errorText));
      return;
    }
    try {
      this.decoder.end(this.onData);
    } catch (error) {
      this.failWith(error);
      return;
    }
    this.finished = true;
    this.events.end();
    this.hooks.onFinished();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finish(this.abortReason ?? error);
  }

  private event(data: string): void {
    if (this.finished) return;
    this.hooks.onEvent();
    const parsed = this.hooks.parse(data);
    if (parsed !== undefined) this.events.push(parsed);
  }

  private finish(error: Error): void {
    if (this.finished) return;
    this.failWith(this.hooks.mapError(error));
  }

  private failWith(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.events.fail(error);
    this.hooks.onFinished();
  }
}
