/**
 * Backoff for capacity errors (`MODEL_CAPACITY_EXHAUSTED`, 503 "No capacity available"). They are the
 * server's fault, so the account is not cooled down; the same request just waits a little and retries.
 */

export interface CapacityBackoffOptions {
  /** Waits for the 1st, 2nd, … retry; past its end the last step keeps doubling. */
  ladderMs: readonly number[];
  /** Hard upper bound, also after jitter. */
  capMs: number;
  /** ±fraction of random spread, so that many clients hit by one outage do not retry in step. */
  jitter: number;
}

export const DEFAULT_CAPACITY_BACKOFF: CapacityBackoffOptions = {
  ladderMs: [1_000, 2_000, 4_000, 8_000],
  capMs: 10_000,
  jitter: 0.2,
};

/**
 * Wait before capacity retry number `attempt` (1 = the first retry).
 * `random` returns a number in [0, 1), like `Math.random`.
 */
export function capacityBackoffMs(
  attempt: number,
  random: () => number,
  options: CapacityBackoffOptions = DEFAULT_CAPACITY_BACKOFF,
): number {
  const { ladderMs, capMs, jitter } = options;
  const step = Math.max(1, Math.floor(attempt));
  const last = ladderMs[ladderMs.length - 1] ?? capMs;
  const base =
    step <= ladderMs.length ? ladderMs[step - 1]! : last * 2 ** Math.min(step - ladderMs.length, 32);
  const spread = 1 + (random() * 2 - 1) * jitter;
  return Math.max(0, Math.round(Math.min(capMs, Math.min(base, capMs) * spread)));
}
