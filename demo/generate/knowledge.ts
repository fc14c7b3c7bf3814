import { prngFor, type Prng } from './prng.js';
import type { DemoRow } from './row.js';
import { DAY, HOUR, MINUTE, diurnal, floorTo, hourBuckets, inWindow, type TimeWindow } from './time.js';
import type { Timeline } from './timeline.js';
import type { World } from './world.js';

const COLLECTIONS: readonly (readonly [string, number, number])[] = [
  // name, weight, median latency (ms)
  ['handbook', 5, 140], ['engineering-wiki', 4, 210], ['support-tickets', 3, 320], ['legal-contracts', 1, 650],
];
const QUERY_TEXTS = [
  'how do I reset the pump controller', 'vacation policy for contractors', 'warranty terms for generator GX-50',
  'escalation path for sev1 incidents', 'refund window marketplace orders', 'oil change interval EX-9',
  'onboarding checklist new vendor', 'data retention policy telemetry', 'how to rotate database credentials',
];
export const INGESTION_SOURCES = ['confluence', 'gdrive', 'zendesk', 'github-wiki', 'sharepoint'];
export const EVAL_SUITES: readonly (readonly [string, number])[] = [['faq-recall', 200], ['policy-qa', 150], ['adversarial', 80]];
export const EVAL_MODELS: readonly (readonly [string, number])[] = [['bm25', 0.62], ['hybrid-v1', 0.74], ['hybrid-v2-rerank', 0.83]];
const PROGRESS_TICK = 5 * MINUTE;

function clientIp(rng: Prng): string {
  if (rng.chance(0.15)) return `2001:db8:${rng.int(0, 0xffff).toString(16)}:${rng.int(0, 0xffff).toString(16)}::${rng.int(1, 0xffff).toString(16)}`;
  return `10.${rng.int(0, 40)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** Queries users ran, created inside the window: log-normal latencies per collection, a few errors and timeouts. */
export function* queryLogs(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const from = window.from === null ? timeline.historyStart : Math.max(timeline.historyStart, window.from.getTime());
  const collections = COLLECTIONS.map((c) => [c, c[1]] as const);
  for (const bucket of hourBuckets(from, window.to.getTime())) {
    if (bucket < floorTo(timeline.historyStart, HOUR)) continue;
    const rng = prngFor(world.seed, `queries:${bucket}`);
    const count = rng.poisson((world.profile.queriesPerDay / 24) * diurnal(new Date(bucket).getUTCHours()));
    for (let i = 0; i < count; i += 1) {
      const [collection, , medianMs] = rng.weighted(collections);
      const createdAt = bucket + rng.int(0, HOUR - 1);
      const error = rng.chance(0.025);
      const timeout = error && rng.chance(0.4);
      const row: DemoRow = {
        query_id: `q_${rng.hex(20)}`,
        user_id: rng.pick(world.users),
        client_ip: clientIp(rng),
        query_text: rng.pick(QUERY_TEXTS),
        collection,
        latency_ms: timeout ? 30000 : Math.max(8, Math.round(rng.logNormal(medianMs, 0.55))),
        result_count: error ? 0 : rng.chance(0.08) ? 0 : rng.int(1, 20),
        status: error ? 'error' : 'ok',
        created_at: new Date(createdAt),
      };
      if (createdAt >= timeline.historyStart && inWindow(createdAt, window)) yield row;
    }
  }
}

interface Run {
  startedAt: number;
  finishedAt: number;
  finalStatus: 'succeeded' | 'failed';
  total: number;
  failed: number;
}

/** The row of a run as it stands at `to`: final once finished, else running with progress updated every five minutes. */
function runStateAt(run: Run, to: number): { status: string; done: number; failed: number; finishedAt: number | null; updatedAt: number } | null {
  if (run.startedAt > to) return null;
  if (run.finishedAt <= to) return { status: run.finalStatus, done: run.total, failed: run.failed, finishedAt: run.finishedAt, updatedAt: run.finishedAt };
  const updatedAt = run.startedAt + Math.floor((to - run.startedAt) / PROGRESS_TICK) * PROGRESS_TICK;
  const share = (updatedAt - run.startedAt) / (run.finishedAt - run.startedAt);
  return { status: 'running', done: Math.floor(run.total * share), failed: Math.floor(run.failed * share), finishedAt: null, updatedAt };
}

/** Ingestion runs changed inside the window (started, progressed or finished), in their state at its end. */
export function* ingestionRuns(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const to = window.to.getTime();
  const every = world.profile.ingestionEveryHours * HOUR;
  for (const [s, source] of INGESTION_SOURCES.entries()) {
    for (let slot = floorTo(timeline.historyStart, every); slot <= to; slot += every) {
      const rng = prngFor(world.seed, `ingestion:${source}:${slot}`);
      const startedAt = slot + s * 7 * MINUTE + rng.int(0, 300) * 1000;
      const failed = rng.chance(0.08);
      const total = rng.int(80, 2400);
      const run: Run = {
        startedAt,
        // SharePoint crawls are slow: one is nearly always running, so every window finishes some run.
        finishedAt: startedAt + Math.round(rng.logNormal(source === 'sharepoint' ? 300 : 50, source === 'sharepoint' ? 0.25 : 0.6) * MINUTE),
        finalStatus: failed ? 'failed' : 'succeeded',
        total,
        failed: failed ? rng.int(20, Math.max(21, Math.floor(total / 3))) : rng.int(0, 4),
      };
      const runId = `ing_${source}_${rng.hex(12)}`;
      const state = runStateAt(run, to);
      if (startedAt < timeline.historyStart || state === null || !inWindow(state.updatedAt, window)) continue;
      yield {
        run_id: runId, source_name: source, status: state.status, docs_processed: state.done, docs_failed: state.failed,
        started_at: new Date(startedAt), finished_at: state.finishedAt === null ? null : new Date(state.finishedAt), updated_at: new Date(state.updatedAt),
      };
    }
  }
}

/** Nightly evaluation runs of each model on each suite (plus ad hoc runs), changed inside the window. */
export function* evalRuns(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const to = window.to.getTime();
  for (let day = floorTo(timeline.historyStart, DAY); day <= to; day += DAY) {
    const rng = prngFor(world.seed, `evals:${day}`);
    for (const [suite, cases] of EVAL_SUITES) {
      for (const [model, quality] of EVAL_MODELS) {
        const runs = rng.chance(0.3) ? 2 : 1;
        for (let r = 0; r < runs; r += 1) {
          const startedAt = day + (r === 0 ? 2 * HOUR : rng.int(10, 20) * HOUR) + rng.int(0, 1800) * 1000;
          const passed = Math.min(cases, Math.max(0, Math.round(cases * (quality + rng.normal(0, 0.03)))));
          const run: Run = { startedAt, finishedAt: startedAt + rng.int(15, 90) * MINUTE, finalStatus: 'succeeded', total: cases, failed: cases - passed };
          const id = `eval_${rng.hex(12)}`;
          const score = Math.min(1, Math.max(0, passed / cases + rng.normal(0, 0.01)));
          const state = runStateAt(run, to);
          if (startedAt < timeline.historyStart || state === null || !inWindow(state.updatedAt, window)) continue;
          const finished = state.status !== 'running';
          yield {
            eval_run_id: id, suite, model, cases_total: cases,
            cases_passed: finished ? passed : Math.floor(passed * ((state.updatedAt - startedAt) / (run.finishedAt - startedAt))),
            score: finished ? Math.round(score * 10000) / 10000 : null,
            started_at: new Date(startedAt), updated_at: new Date(state.updatedAt),
          };
        }
      }
    }
  }
}
