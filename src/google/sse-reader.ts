/**
 * Reads `data:` events from a Server-Sent-Events body as it arrives (wire.md §2.8): LF or CRLF,
 * lines split across chunks, many events in one chunk. Yields each event's data text; the
 * caller parses it. Nothing is buffered beyond the current unfinished line.
 */
export async function* readSseData(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  let data: string[] = [];
  const flushEvent = function* (): Generator<string> {
    if (data.length > 0) {
      yield data.join('\n');
      data = [];
    }
  };
  const handleLine = function* (rawLine: string): Generator<string> {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') {
      yield* flushEvent();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
  };
  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      yield* handleLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending) yield* handleLine(pending);
  // A body that ends without the blank line still delivers its last event.
  yield* flushEvent();
}
