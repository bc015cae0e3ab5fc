import { createHash } from 'node:crypto';
import { loadDefaultFixtures } from './fixtures.ts';
import { OAuthStore } from './oauth-store.ts';
import { initialQuota } from './quota.ts';
import { SignatureBook } from './signatures.ts';
import type {
  HostAlias,
  Outcome,
  RecordedRequest,
  SimAccountFixture,
  SimAccountState,
  SimCounts,
  SimModelFixture,
  SimRules,
  SimulatorOptions,
} from './types.ts';

export const DEFAULT_CLIENT_ID = '1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = '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';

export const RPC_METHODS = [
  'loadCodeAssist',
  'onboardUser',
  'getOperation',
  'fetchAvailableModels',
  'retrieveUserQuotaSummary',
  'retrieveUserQuota',
  'generateContent',
  'streamGenerateContent',
  'countTokens',
] as const;

/** What Antigravity asks for (wire.md §1.1); seeded refresh tokens carry the same grant. */
export const ANTIGRAVITY_SCOPES = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/cclog',
  'https://www.googleapis.com/auth/experimentsandconfigs',
].join(' ');

const DEFAULT_VALIDATION_URL =
  'https://accounts.google.com/signin/continue?sarp=1&scc=1&continue=https%3A%2F%2Fdevelopers.google.com%2Fgemini-code-assist%2Fauth%2Fauth_success_gemini&plt=AKgnsbv';

interface HostFailure {
  status: number;
  remaining: number | undefined;
}

export interface Operation {
  name: string;
  email: string;
}

function userIdFor(email: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 16)}`).toString();
  return `1${digits.padStart(20, '0').slice(0, 20)}`;
}

/** The models an account may use: every shared model plus its own per-account ids, minus exclusions. */
function modelSet(fixture: SimAccountFixture, models: readonly SimModelFixture[]): string[] {
  return models
    .filter((m) => !m.replacedBy && m.family !== 'internal')
    .filter((m) => !m.perAccount || fixture.extraModels?.includes(m.id))
    .filter((m) => !fixture.withoutModels?.includes(m.id))
    .map((m) => m.id);
}

const STRICT: SimRules = { claude: true, gemini: true, schemas: true };

/** The rules with the given switches applied; an undefined switch keeps its value. */
export function mergeRules(base: SimRules, patch: Partial<SimRules> | undefined): SimRules {
  return {
    claude: patch?.claude ?? base.claude,
    gemini: patch?.gemini ?? base.gemini,
    schemas: patch?.schemas ?? base.schemas,
  };
}

/** Everything the simulator knows; the route modules read and change it, the knobs change it. */
export class SimState {
  readonly clientId: string;
  readonly clientSecret: string;
  tokenLifetimeSeconds: number;
  minClientVersion: string | undefined;
  readonly replyChunkDelayMs: number;
  readonly unmeteredQuota: boolean;
  rules: SimRules;
  readonly models: ReadonlyMap<string, SimModelFixture>;
  readonly modelList: readonly SimModelFixture[];
  readonly accountList: SimAccountState[];
  readonly oauth = new OAuthStore();
  readonly signatures = new SignatureBook();
  readonly requests: RecordedRequest[] = [];
  readonly counts: SimCounts;
  readonly operations = new Map<string, Operation>();
  /** Last prompt size per (account, sessionId), for cachedContentTokenCount. */
  readonly sessions = new Map<string, number>();
  readonly #accounts = new Map<string, SimAccountState>();
  readonly #scripts = new Map<string, Outcome[]>();
  readonly #hostFailures = new Map<HostAlias, HostFailure>();
  readonly #sequence = new Map<string, number>();
  refreshFailures = { count: 0, status: 500 };
  pendingLogin: string | undefined;
  denyNextLogin = false;

  constructor(options: SimulatorOptions, now = Date.now()) {
    const defaults = loadDefaultFixtures();
    this.clientId = options.clientId ?? DEFAULT_CLIENT_ID;
    this.clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
    this.minClientVersion = options.minClientVersion;
    this.replyChunkDelayMs = options.replyChunkDelayMs ?? 0;
    this.unmeteredQuota = options.unmeteredQuota ?? false;
    this.rules = mergeRules(STRICT, options.rules);
    this.modelList = structuredClone(options.models ?? defaults.models);
    this.models = new Map(this.modelList.map((m) => [m.id, m]));
    const counts: SimCounts = { codeGrant: 0, refreshGrant: 0, refreshGrantByEmail: {}, userinfo: 0 };
    for (const method of RPC_METHODS) counts[method] = 0;
    this.counts = counts;
    this.accountList = [];
    for (const fixture of structuredClone(options.accounts ?? defaults.accounts)) {
      if (this.#accounts.has(fixture.email)) throw new Error(`Duplicate simulator account ${fixture.email}`);
      const account = this.#createAccount(fixture, now);
      this.#accounts.set(fixture.email, account);
      this.accountList.push(account);
    }
  }

  #createAccount(fixture: SimAccountFixture, now: number): SimAccountState {
    const { quota, weekly } = initialQuota(fixture, this.modelList, now);
    const refreshToken = this.oauth.issueRefresh(fixture.email, ANTIGRAVITY_SCOPES, fixture.refreshToken);
    return {
      fixture,
      email: fixture.email,
      userId: fixture.userId ?? userIdFor(fixture.email),
      refreshToken,
      project: fixture.project,
      tier: fixture.tier,
      banned: fixture.banned ?? false,
      validationRequired: fixture.validationRequired ?? false,
      validationUrl: fixture.validationUrl ?? DEFAULT_VALIDATION_URL,
      quotaSummary: fixture.quotaSummary ?? false,
      credits: fixture.credits ?? 0,
      models: modelSet(fixture, this.modelList),
      quota,
      weeklyQuota: weekly,
      quotaFetchFailing: false,
      onboardingPollsLeft: fixture.project ? 0 : (fixture.onboarding?.polls ?? 0),
      consented: true,
    };
  }

  findAccount(email: string): SimAccountState | undefined {
    return this.#accounts.get(email);
  }

  account(email: string): SimAccountState {
    const account = this.#accounts.get(email);
    if (!account) throw new Error(`Unknown simulator account ${email}`);
    return account;
  }

  script(email: string, model: string, outcomes: Outcome[]): void {
    this.account(email);
    const key = `${email}\n${model}`;
    this.#scripts.set(key, [...(this.#scripts.get(key) ?? []), ...outcomes]);
  }

  /** The next scripted outcome for this account and model: model-specific queue first, then `*`. */
  takeOutcome(email: string, model: string): Outcome | undefined {
    for (const key of [`${email}\n${model}`, `${email}\n*`]) {
      const queue = this.#scripts.get(key);
      const next = queue?.shift();
      if (next) return next;
    }
    return undefined;
  }

  failHost(alias: HostAlias, status: number | undefined, count?: number): void {
    if (status === undefined) this.#hostFailures.delete(alias);
    else this.#hostFailures.set(alias, { status, remaining: count });
  }

  /** The status this alias must answer now, consuming one use of a counted failure. */
  takeHostFailure(alias: HostAlias | 'root'): number | undefined {
    if (alias === 'root') return undefined;
    const failure = this.#hostFailures.get(alias);
    if (!failure) return undefined;
    if (failure.remaining !== undefined) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.#hostFailures.delete(alias);
    }
    return failure.status;
  }

  /** Per-account request counter, so identical requests still get distinct ids and signatures. */
  nextSequence(email: string): number {
    const next = (this.#sequence.get(email) ?? 0) + 1;
    this.#sequence.set(email, next);
    return next;
  }

  count(method: string, email?: string): void {
    const current = this.counts[method];
    this.counts[method] = (typeof current === 'number' ? current : 0) + 1;
    if (email && method === 'refreshGrant') {
      this.counts.refreshGrantByEmail[email] = (this.counts.refreshGrantByEmail[email] ?? 0) + 1;
    }
  }
}
