import type { SelectRequest, Selection } from '../pool/types.ts';

/** What the engine needs of the account pool. */
export interface PoolPort {
  select(request: SelectRequest): Selection;
  reportSuccess(accountId: string, model: string): void;
  reportFailure(accountId: string, model: string, kind: string, retryDelayMs?: number): void;
  capacityBackoffMs(retry: number): number;
  countEligible(model: string, limit?: number): number;
}
