import { UpstreamError, type CodeAssistClient } from '../google/code-assist-client.ts';
import { parseLoadCodeAssist, parseOnboardOperation } from '../google/code-assist-parse.ts';
import type { GoogleOAuthClient } from '../google/oauth-client.ts';
import {
  parseAvailableModels,
  parseQuotaSummary,
  type AvailableModels,
  type QuotaBucket,
} from '../google/quota-parse.ts';
import type { AccountStatus, AccountTier } from '../store/accounts-table.ts';

/** What Google says about an identity: who it is, its project and tier, and whether it may be used. */
export interface AccountProfile {
  email: string;
  displayName?: string;
  projectId?: string;
  tier: AccountTier;
  tierName?: string;
  status: AccountStatus;
  statusReason?: string;
  validationUrl?: string;
}

export interface QuotaSnapshot {
  available: AvailableModels;
  /** Weekly / 5-hour buckets, when the upstream answers `retrieveUserQuotaSummary`. */
  buckets?: QuotaBucket[];
}

export interface DiscoveryOptions {
  oauth: GoogleOAuthClient;
  codeAssist: CodeAssistClient;
  now?: () => number;
  /** Onboarding is a long-running operation; polled this often, at most this many times (wire.md §2.4). */
  onboardPollMs?: number;
  onboardMaxPolls?: number;
}

/** Account states that an upstream answer forces, per wire.md §2.11. */
export function statusFromUpstream(
  error: unknown,
): Pick<AccountProfile, 'status' | 'statusReason' | 'validationUrl'> | undefined {
  if (!(error instanceof UpstreamError)) return undefined;
  const { kind, message, validationUrl } = error.info;
  if (kind === 'banned')
    return { status: 'forbidden', statusReason: `Google disabled this account: ${message}` };
  if (kind === 'validation_required') {
    return {
      status: 'forbidden',
      statusReason: `Google asks to verify this account: ${message}`,
      validationUrl,
    };
  }
  if (kind === 'auth_permanent') return { status: 'needs_login', statusReason: message };
  return undefined;
}

export class AccountDiscovery {
  private readonly options: DiscoveryOptions;
  private readonly now: () => number;

  constructor(options: DiscoveryOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** userinfo → loadCodeAssist → onboardUser with polling when there is no project yet. */
  async profile(accessToken: string): Promise<AccountProfile> {
    const user = await this.options.oauth.userInfo(accessToken);
    const base = { email: user.email, displayName: user.name };
    let loaded;
    try {
      loaded = parseLoadCodeAssist(await this.options.codeAssist.loadCodeAssist(accessToken));
    } catch (error) {
      const forced = statusFromUpstream(error);
      if (forced) return { ...base, tier: 'unknown', ...forced };
      throw error;
    }
    const profile: AccountProfile = {
      ...base,
      projectId: loaded.projectId,
      tier: loaded.tier,
      tierName: loaded.tierName,
      status: 'ok',
    };
    if (loaded.validationRequired) {
      return {
        ...profile,
        status: 'forbidden',
        statusReason: `Google asks to verify this account${loaded.validationRequired.message ? `: ${loaded.validationRequired.message}` : ''}`,
        validationUrl: loaded.validationRequired.url,
      };
    }
    if (loaded.needsOnboarding || !loaded.projectId) {
      profile.projectId = await this.onboard(accessToken, loaded.onboardTierId);
    }
    return profile;
  }

  private async onboard(accessToken: string, tierId: string): Promise<string> {
    const pollMs = this.options.onboardPollMs ?? 2000;
    const maxPolls = this.options.onboardMaxPolls ?? 10;
    let operation = parseOnboardOperation(await this.options.codeAssist.onboardUser(accessToken, tierId));
    for (let poll = 0; !operation.done && poll < maxPolls; poll++) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      operation = parseOnboardOperation(
        operation.name
          ? await this.options.codeAssist.getOperation(accessToken, operation.name)
          : await this.options.codeAssist.onboardUser(accessToken, tierId),
      );
    }
    if (operation.error) throw new Error(`Onboarding failed: ${operation.error}`);
    if (!operation.done)
      throw new Error(`Onboarding did not finish after ${maxPolls} polls; try again later`);
    if (!operation.projectId) throw new Error('Onboarding finished without a project id');
    return operation.projectId;
  }

  /** The 5-hour window per model, and weekly buckets where the upstream has them (best effort). */
  async quota(accessToken: string, projectId: string | undefined): Promise<QuotaSnapshot> {
    const available = parseAvailableModels(
      await this.options.codeAssist.fetchAvailableModels(accessToken, projectId),
      this.now(),
    );
    let buckets: QuotaBucket[] | undefined;
    try {
      buckets = parseQuotaSummary(
        await this.options.codeAssist.retrieveUserQuotaSummary(accessToken, projectId),
        this.now(),
      );
    } catch {
      // Not every account or endpoint has quota summaries; the per-model window is the figure that counts.
      buckets = undefined;
    }
    return { available, buckets };
  }
}
