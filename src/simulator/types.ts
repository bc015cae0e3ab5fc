import type { IncomingHttpHeaders } from 'node:http';

/** The three Cloud Code hosts the product falls back across, served as path prefixes of one listener. */
export type HostAlias = 'sandbox' | 'daily' | 'prod';

/**
 * Which upstream rule set a model follows: `claude` (Anthropic behind Vertex, §2.12), `gemini-3`
 * (function-call signatures enforced, §2.13 #1), `gemini` (2.5 and older), `gpt`, or `internal`
 * (listed by fetchAvailableModels, never served).
 */
export type ModelFamily = 'claude' | 'gemini-3' | 'gemini' | 'gpt' | 'internal';

export interface SimThinkingRange {
  min: number;
  max: number;
  /** `thinkingBudget: 0` switches thinking off instead of being out of range. */
  zeroAllowed?: boolean;
  /** Accepted `thinkingLevel` values; absent = the model takes budgets only. */
  levels?: string[];
}

export interface SimModelFixture {
  id: string;
  displayName: string;
  family: ModelFamily;
  /** Context window (`maxTokens` in fetchAvailableModels). */
  maxTokens?: number;
  maxOutputTokens?: number;
  thinking?: SimThinkingRange;
  /** Input modalities: text, image, audio, video, pdf. */
  input?: string[];
  /** Output modalities; `image` marks an image-generation model. */
  output?: string[];
  recommended?: boolean;
  webSearch?: boolean;
  /** Only accounts that list it in `extraModels` have it (image ids differ per account). */
  perAccount?: boolean;
  /** Listed without `quotaInfo`, as some real entries are. */
  noQuotaInfo?: boolean;
  /** A removed id: only in `deprecatedModelIds`, and generating with it answers 400. */
  replacedBy?: string;
}

export type SimTier = 'free' | 'standard' | 'pro' | 'ultra';

export interface SimAccountFixture {
  email: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  picture?: string;
  /** Workspace domain; present only for Workspace accounts. */
  hd?: string;
  /** Google user id (21 digits); derived from the email when absent. */
  userId?: string;
  tier: SimTier;
  /** cloudaicompanionProject; absent = the account must call onboardUser first. */
  project?: string;
  /** For accounts without a project: `done:false` answers before the operation completes, and its project. */
  onboarding?: { polls: number; project: string };
  banned?: boolean;
  validationRequired?: boolean;
  validationUrl?: string;
  /** retrieveUserQuotaSummary answers for this account (404 otherwise). */
  quotaSummary?: boolean;
  /** GOOGLE_ONE_AI credit balance (paid tiers). */
  credits?: number;
  /** A fixed initial refresh token (e.g. for demo seeding); random when absent. */
  refreshToken?: string;
  extraModels?: string[];
  withoutModels?: string[];
  quota?: Record<string, { remainingFraction: number; resetInSeconds?: number }>;
}

export interface QuotaWindow {
  remainingFraction: number;
  /** RFC 3339. */
  resetTime: string;
}

/** Live, mutable state of one simulated account. */
export interface SimAccountState {
  readonly fixture: SimAccountFixture;
  readonly email: string;
  readonly userId: string;
  /** The most recently issued refresh token (older ones stay valid unless revoked). */
  refreshToken: string;
  project: string | undefined;
  tier: SimTier;
  banned: boolean;
  validationRequired: boolean;
  validationUrl: string;
  quotaSummary: boolean;
  credits: number;
  /** Model ids this account may generate with. */
  models: string[];
  /** Per model id. */
  quota: Record<string, QuotaWindow>;
  /** Per quota-summary group (weekly window). */
  weeklyQuota: Record<string, QuotaWindow>;
  quotaFetchFailing: boolean;
  onboardingPollsLeft: number;
  /** Whether the account has consented to the OAuth client before (decides refresh_token issuance). */
  consented: boolean;
}

export interface RecordedRequest {
  id: number;
  /** Epoch ms when the request arrived. */
  at: number;
  method: string;
  /** Path without the alias prefix and without the query string. */
  path: string;
  /** The raw request target, alias prefix and query included. */
  url: string;
  alias: HostAlias | 'root';
  /** v1internal method name (`generateContent`, `getOperation`, …) when the path is a v1internal one. */
  rpc?: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the form fields of a form-encoded body; undefined when empty. */
  body: unknown;
  account?: string;
  status?: number;
  aborted: boolean;
  abortedAt?: number;
}

export interface SimCounts {
  codeGrant: number;
  refreshGrant: number;
  refreshGrantByEmail: Record<string, number>;
  userinfo: number;
  [method: string]: number | Record<string, number>;
}

export type ErrorPreset =
  | 'rateLimit'
  | 'quotaExhausted'
  | 'capacity'
  | 'insufficientCredits'
  | 'unstructured429'
  | 'quotaFailure'
  | 'validationRequired'
  | 'ban'
  | 'serviceDisabled'
  | 'unauthenticated'
  | 'internal'
  | 'unavailable'
  | 'notFound'
  | 'invalidArgument'
  | 'outdatedClient';

/** Options every outcome accepts. */
export interface OutcomeCommon {
  /** Wait before the status line is written. */
  firstByteDelayMs?: number;
  /** Wait between stream events. */
  chunkDelayMs?: number;
  /** SSE line endings; Google front-ends use CRLF. */
  framing?: 'crlf' | 'lf';
  /** `usageMetadata` on every event (default) or on the last one only. */
  usage?: 'every' | 'last';
  /** Where the signature goes: the family default, a trailing empty-text carrier part, or nowhere. */
  signature?: 'default' | 'carrier' | 'none';
}

export interface ErrorOutcome {
  kind: 'error';
  preset: ErrorPreset;
  /** Overrides the HTTP status and `error.code` (e.g. 429 for `capacity`). */
  status?: number;
  /** Seconds (number) or a verbatim duration string; null leaves RetryInfo out. */
  retryDelay?: number | string | null;
  /** Seconds (number, formatted per `resetDelayForm`) or a verbatim string; null leaves it out. */
  quotaResetDelay?: number | string | null;
  quotaResetTimeStamp?: string | null;
  /** `ms`/`s` (what every parser reads) or `go` (`161h39m41.3s`, skipped by some parsers). */
  resetDelayForm?: 'ms' | 's' | 'go';
  retryAfterHeader?: string | number;
  message?: string;
  /** On the stream endpoint: send this many normal events first, then the error as a data event. */
  afterChunks?: number;
  /** Wrap the body in an array (`[{"error":…}]`), as the stream endpoint sometimes does. */
  arrayBody?: boolean;
}

/** One Google Search result, as a `groundingChunks[].web` entry. */
export interface SimSearchResult {
  uri: string;
  title: string;
}

export interface ToolCallSpec {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

/**
 * What one generate/stream call answers, queued per account and model with `script()`.
 * `text`/`toolCall` add an automatic thought when the request asks for thoughts (pass `thought: ''`
 * to suppress it); `cut` destroys the socket after `afterChunks` events (`beforeHeaders`: before the
 * status line, a network error); `stall` pauses `ms` after `afterChunks` events with the socket open,
 * then finishes the reply.
 *
 * `search` is a Google Search grounded answer (wire.md §2.8 #7; see grounding.ts): `queries` become
 * `webSearchQueries`, `results` the `groundingChunks` (default: 2 or 3 derived from the first query;
 * `[]` = the search found nothing), `text` the answer (default `Search results for "<query>": …`,
 * one sentence per result; a given text has each sentence supported by result k mod n),
 * `searchEntryPoint: false` leaves the Search widget out. The metadata rides on the last event's
 * candidate. Unscripted requests with a `googleSearch` tool get the same answer for the user's
 * prompt; a scripted `text` with such a tool is a reply where the model chose not to search.
 */
export type Outcome = OutcomeCommon &
  (
    | { kind: 'text'; text: string; chunks?: number; thought?: string }
    | { kind: 'thinking'; thought: string; text: string }
    | ({ kind: 'toolCall'; text?: string; thought?: string; also?: ToolCallSpec[] } & ToolCallSpec)
    | { kind: 'image'; mimeType?: string; base64?: string; text?: string }
    | {
        kind: 'search';
        queries: string[];
        results?: SimSearchResult[];
        text?: string;
        thought?: string;
        chunks?: number;
        searchEntryPoint?: boolean;
      }
    | { kind: 'empty' }
    | { kind: 'cut'; afterChunks: number; text?: string; beforeHeaders?: boolean }
    | { kind: 'stall'; afterChunks: number; ms: number; text?: string }
    | ErrorOutcome
  );

/**
 * The upstream rule sets the simulator enforces (wire.md §2.14), each on by default. A test that
 * needs a request through that the real service would refuse switches one off, with
 * `SimulatorOptions.rules` at start or `Simulator.setRules()` while running.
 */
export interface SimRules {
  /**
   * wire.md §2.12 for `claude` models: tool ids paired across turns, replayed thinking signatures,
   * thinking budget vs `maxOutputTokens` and the output cap, non-empty text parts, function calling
   * mode `VALIDATED` with function declarations, declarations with a `parameters` schema whose
   * every object has at least one property.
   */
  claude: boolean;
  /**
   * wire.md §2.13 for Gemini models: thoughtSignature on the first functionCall of each replayed
   * model turn (gemini-3), leading user turn, empty text parts, thinking budget and level ranges,
   * the `maxOutputTokens` cap.
   */
  gemini: boolean;
  /**
   * wire.md §2.13 #5, every family: tool and response schemas use the OpenAPI subset
   * (`$schema`, `additionalProperties`, `$ref`, `const`, type arrays … are refused).
   */
  schemas: boolean;
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  accounts?: SimAccountFixture[];
  models?: SimModelFixture[];
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  minClientVersion?: string;
  /** Delay between events of default (unscripted) replies, e.g. to make the demo feel live. */
  replyChunkDelayMs?: number;
  /** Generating spends no quota (benchmarks send thousands of requests to one account). */
  unmeteredQuota?: boolean;
  /** Rule sets to switch off (all default to true: as strict as the real service). */
  rules?: Partial<SimRules>;
}

export interface Simulator {
  url: string;
  authUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  baseUrls: string[];
  clientId: string;
  clientSecret: string;
  accounts: SimAccountState[];
  account(email: string): SimAccountState;
  requests: RecordedRequest[];
  counts: SimCounts;
  script(email: string, model: string, ...outcomes: Outcome[]): void;
  revokeRefreshToken(email: string): void;
  failRefreshes(count: number, status?: number): void;
  setTokenLifetime(seconds: number): void;
  setMinClientVersion(version: string | undefined): void;
  /** Switches rule sets on or off from now on; returns the rules in force before, for restoring. */
  setRules(rules: Partial<SimRules>): SimRules;
  failHost(alias: HostAlias, status: number | undefined, count?: number): void;
  setQuota(email: string, model: string, remainingFraction: number, resetTime?: string): void;
  failQuotaFetch(email: string, failing: boolean): void;
  nextLogin(email: string): void;
  denyNextLogin(): void;
  close(): Promise<void>;
}
