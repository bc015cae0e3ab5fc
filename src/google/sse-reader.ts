/**
 * Reads `data:` events from a Server-Sent-Events body as it arrives (wire.md §2.8): LF or CRLF,
 * lines split across chunks, many events in one chunk. Push-based, so the upstream call can
 * feed it straight from the socket without a stream object or a generator per response.
 * Only complete lines are decoded: a line ends at byte 0x0A, which never occurs inside a
 * multi-byte UTF-8 character, so no decoder state is needed. Nothing is buffered beyond the
 * current unfinished line and the data lines of the current event.
 */
export class SseDecoder {
  /** Bytes of the line not finished yet (copied: the caller may reuse its buffers). */
  private partial: Buffer[] = [];
  private data: string[] = [];

  push(chunk: Uint8Array, onEvent: (data: string) => void): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    let newline = bytes.indexOf(10);
    while (newline >= 0) {
      let line: string;
      if (this.partial.length > 0) {
        this.partial.push(bytes.subarray(start, newline));
        line = Buffer.concat(this.partial).toString('utf8');
        this.partial = [];
      } else {
        line = bytes.toString('utf8', start, newline);
      }
      this.line(line, onEvent);
      start = newline + 1;
      newline = bytes.indexOf(10, start);
    }
    if (start < bytes.length) this.partial.push(Buffer.from(bytes.subarray(start)));
  }

  /** The body ended: a last line without its newline, and an event without its blank line, still count. */
  end(onEvent: (data: string) => void): void {
    if (this.partial.length > 0) {
      const line = Buffer.concat(this.partial).toString('utf8');
      this.partial = [];
      this.line(line, onEvent);
    }
    this.flush(onEvent);
  }

  private line(rawLine: string, onEvent: (data: string) => void): void {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') {
      this.flush(onEvent);
      return;
    }
    if (line.startsWith('data:')) {
      this.data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
      return;
    }
    // Comments (`:`), `event:`, `id:`, `retry:` and unknown fields carry nothing the proxy uses.
    if (line === 'data') this.data.push('');
  }

  private flush(onEvent: (data: string) => void): void {
    if (this.data.length === 0) return;
    const text = this.data.length === 1 ? this.data[0]! : this.data.join('\n');
    this.data = [];
    onEvent(text);
  }
}
