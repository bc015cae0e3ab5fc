/* global AbortController */
// The floor for bench/proxy.ts: the least a Node.js process can do to proxy one streaming call.
// node:http towards the client and undici towards the upstream (as the product), no framework, no parsing, no accounts, no log: it forwards the client's
// request to `streamGenerateContent` with a fixed token and pipes the bytes back. Whatever Better
// Manager costs beyond this (memory per open stream, added latency) is its own; below this, Node is.
//
// Run by the benchmarks: UPSTREAM=<base URL> TOKEN=<access token> PROJECT=<id> PORT=<port>
// [MODEL=<id>, default gemini-3-flash] node bench/bare-proxy.mjs
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const upstream = new URL(
  `${process.env.UPSTREAM.replace(/\/+$/, '')}/v1internal:streamGenerateContent?alt=sse`,
);
const agent = new Agent({ keepAliveTimeout: 60_000 });
const headers = {
  authorization: `Bearer ${process.env.TOKEN}`,
  'content-type': 'application/json',
  'user-agent': 'antigravity/2.9.1 linux/amd64',
};

const server = createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  const parts = [];
  req.on('data', (chunk) => parts.push(chunk));
  req.on('end', () => {
    const body = JSON.stringify({
      project: process.env.PROJECT,
      model: process.env.MODEL || 'gemini-3-flash',
      userAgent: 'antigravity',
      requestType: 'agent',
      requestId: `agent-${Date.now()}`,
      request: JSON.parse(Buffer.concat(parts).toString() || '{}'),
    });
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    request(upstream, { method: 'POST', headers, body, dispatcher: agent, signal: abort.signal }).then(
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode, { 'content-type': 'text/event-stream' });
        upstreamResponse.body.pipe(res);
      },
      () => res.destroy(),
    );
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
