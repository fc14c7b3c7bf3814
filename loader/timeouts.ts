/**
 * Every wait the loader does on the network has an end. Defaults fit a real deployment (a large
 * table's COPY runs for minutes, a big load job longer); tests and impatient operators set less.
 */
export interface LoaderTimeouts {
  /** Postgres connect (pg `connectionTimeoutMillis`). */
  connectMs: number;
  /** Postgres `statement_timeout` of the snapshot session: one COPY of a whole window must fit. */
  statementMs: number;
  /** Postgres `idle_in_transaction_session_timeout`: a stuck loader never holds a snapshot open longer. */
  idleInTransactionMs: number;
  /** One BigQuery or GCS HTTP request, including an upload that stops moving. */
  requestMs: number;
  /** One BigQuery job (load or query) from submit to done; cancelled past it. */
  jobMs: number;
  /** Budget for the readiness checks to reach Postgres and BigQuery, retries included. */
  readinessMs: number;
}

export const DEFAULT_TIMEOUTS: LoaderTimeouts = {
  connectMs: 10_000,
  statementMs: 3_600_000,
  idleInTransactionMs: 300_000,
  requestMs: 60_000,
  jobMs: 1_800_000,
  readinessMs: 15_000,
};

export class LoaderTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${Math.round(ms / 100) / 10} s`);
    this.name = 'LoaderTimeoutError';
  }
}

export function resolveTimeouts(partial: Partial<LoaderTimeouts> = {}): LoaderTimeouts {
  const out = { ...DEFAULT_TIMEOUTS };
  for (const [key, value] of Object.entries(partial) as [keyof LoaderTimeouts, number | undefined][]) {
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`timeouts.${key} must be a positive number of milliseconds`);
    out[key] = value;
  }
  return out;
}
