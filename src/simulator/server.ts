import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  countTokens,
  fetchAvailableModels,
  getOperation,
  loadCodeAssist,
  onboardUser,
  retrieveUserQuota,
  retrieveUserQuotaSummary,
} from './code-assist.ts';
import { CONTROL_PREFIX, control } from './control-routes.ts';
import { generate } from './generate.ts';
import {
  BodyParseError,
  bearerToken,
  parseBody,
  readBody,
  sendJson,
  sendRpcError,
  type Exchange,
} from './http.ts';
import { authorize, token, userinfo } from './oauth-routes.ts';
import { genericError, invalidArgument, notFound, outdatedClient, unauthenticated } from './rpc-errors.ts';
import type { SimState } from './state.ts';
import type { HostAlias, RecordedRequest, SimAccountState } from './types.ts';
import { Rejection } from './validate-common.ts';

/** Routing for the one listener: alias prefixes, host-failure knob, auth, version gate, recording. */

const ALIASES: readonly HostAlias[] = ['sandbox', 'daily', 'prod'];

function splitAlias(pathname: string): { alias: HostAlias | 'root'; path: string } {
  const first = pathname.split('/')[1] ?? '';
  const alias = ALIASES.find((a) => a === first);
  if (!alias) return { alias: 'root', path: pathname };
  return { alias, path: pathname.slice(alias.length + 1) || '/' };
}

/** `POST /v1internal:method` → method; `GET /v1internal/operations/x` → getOperation. */
function rpcOf(method: string, path: string): { rpc: string; operationId?: string } | undefined {
  const call = /^\/v1internal:([A-Za-z]+)$/.exec(path);
  if (call?.[1] && method === 'POST') return { rpc: call[1] };
  const op = /^\/v1internal\/operations\/(.+)$/.exec(path);
  if (op?.[1] && method === 'GET') return { rpc: 'getOperation', operationId: decodeURIComponent(op[1]) };
  return undefined;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Versions the client announces: `X-Client-Version` and the `antigravity/<ver>` User-Agent token. */
function clientVersions(req: IncomingMessage): string[] {
  const versions: string[] = [];
  const explicit = req.headers['x-client-version'];
  if (typeof explicit === 'string' && /^\d+(\.\d+)*/.test(explicit.trim())) versions.push(explicit.trim());
  const agent = /antigravity\/(?:hub\/)?(\d+(?:\.\d+)*)/i.exec(req.headers['user-agent'] ?? '');
  if (agent?.[1]) versions.push(agent[1]);
  return versions;
}

function authenticate(ex: Exchange, state: SimState, rpc: string): SimAccountState | undefined {
  const presented = bearerToken(ex.req);
  if (!presented) {
    sendRpcError(ex, unauthenticated('missing', rpc));
    return undefined;
  }
  const found = state.oauth.lookupAccess(presented, Date.now());
  if (typeof found === 'string') {
    sendRpcError(ex, unauthenticated(found === 'expired' ? 'expired' : 'invalid', rpc));
    return undefined;
  }
  ex.record.account = found.email;
  return state.account(found.email);
}

async function v1internal(ex: Exchange, state: SimState, rpc: string, operationId?: string): Promise<void> {
  const account = authenticate(ex, state, rpc);
  if (!account) return;
  const minimum = state.minClientVersion;
  if (minimum && clientVersions(ex.req).some((v) => compareVersions(v, minimum) < 0)) {
    return sendRpcError(ex, outdatedClient());
  }
  switch (rpc) {
    case 'loadCodeAssist':
      return loadCodeAssist(ex, account);
    case 'onboardUser':
      return onboardUser(ex, state, account);
    case 'getOperation':
      return getOperation(ex, state, account, operationId ?? '');
    case 'fetchAvailableModels':
      return fetchAvailableModels(ex, state, account);
    case 'retrieveUserQuotaSummary':
      return retrieveUserQuotaSummary(ex, state, account);
    case 'retrieveUserQuota':
      return retrieveUserQuota(ex, state, account);
    case 'countTokens':
      return countTokens(ex, state, account);
    case 'generateContent':
      return generate(ex, state, account, false);
    case 'streamGenerateContent':
      return generate(ex, state, account, true);
    default:
      return sendRpcError(ex, notFound());
  }
}

async function route(ex: Exchange, state: SimState, parseError: BodyParseError | undefined): Promise<void> {
  const method = ex.req.method ?? 'GET';
  const target = rpcOf(method, ex.path);
  if (target) {
    ex.record.rpc = target.rpc;
    state.count(target.rpc);
  }
  const failure = state.takeHostFailure(ex.alias);
  if (failure !== undefined) return sendRpcError(ex, genericError(failure));
  if (parseError) return sendRpcError(ex, invalidArgument(parseError.message));
  if (target) return v1internal(ex, state, target.rpc, target.operationId);
  if (ex.alias === 'root' && ex.path.startsWith(CONTROL_PREFIX)) return control(ex, state);
  if (method === 'GET' && (ex.path === '/o/oauth2/v2/auth' || ex.path === '/o/oauth2/auth'))
    return authorize(ex, state);
  if (method === 'POST' && (ex.path === '/token' || ex.path === '/o/oauth2/token')) return token(ex, state);
  if (method === 'GET' && (ex.path === '/oauth2/v1/userinfo' || ex.path === '/oauth2/v2/userinfo')) {
    return userinfo(ex, state);
  }
  if (method === 'GET' && ex.path === '/') {
    return sendJson(ex, 200, {
      name: 'Better Manager Google simulator',
      accounts: state.accountList.map((a) => a.email),
    });
  }
  return sendRpcError(ex, notFound());
}

export function createHandler(
  state: SimState,
  closing: AbortSignal,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const { alias, path } = splitAlias(url.pathname);
    const record: RecordedRequest = {
      id: state.requests.length + 1,
      at: Date.now(),
      method: req.method ?? 'GET',
      path,
      url: req.url ?? '/',
      alias,
      headers: req.headers,
      body: undefined,
      aborted: false,
    };
    state.requests.push(record);
    const controller = new AbortController();
    let serverClose = false;
    const onClosing = (): void => controller.abort();
    closing.addEventListener('abort', onClosing, { once: true });
    res.on('close', () => {
      closing.removeEventListener('abort', onClosing);
      if (!res.writableFinished && !serverClose && !closing.aborted) {
        record.aborted = true;
        record.abortedAt = Date.now();
      }
      controller.abort();
    });
    const ex: Exchange = {
      req,
      res,
      url,
      path,
      alias,
      record,
      body: undefined,
      signal: controller.signal,
      markServerClose: () => {
        serverClose = true;
      },
    };
    void (async () => {
      let parseError: BodyParseError | undefined;
      try {
        ex.body = parseBody(await readBody(req), req.headers['content-type']);
        record.body = ex.body;
      } catch (error) {
        if (!(error instanceof BodyParseError)) return;
        parseError = error;
      }
      await route(ex, state, parseError);
    })().catch((error: unknown) => {
      if (error instanceof Rejection) return sendRpcError(ex, error.error);
      if (!res.headersSent) sendRpcError(ex, genericError(500));
      else res.destroy();
      console.error('simulator: unexpected error', error);
    });
  };
}
