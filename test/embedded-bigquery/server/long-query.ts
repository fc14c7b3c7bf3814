/**
 * A GoogleSQL query DuckDB needs minutes for (10^10 pairs, filtered so no shortcut applies), for
 * tests of timeouts, cancellation and shutdown. Each test also gives it a jobTimeoutMs, so a
 * broken interrupt ends the job within a minute instead of hanging the suite.
 */
export const LONG_QUERY = 'select count(*) as n from unnest(generate_array(1, 100000)) as a, unnest(generate_array(1, 100000)) as b where mod(a * b, 7) = 3';

/** Resolves with `promise`, or rejects once `ms` passed: "answered within a bound", never a latency. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not answered within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function eventually(check: () => Promise<boolean>, what: string, withinMs = 10_000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
