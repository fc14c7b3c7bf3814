import pg from 'pg';
import { redactUrl, type Logger } from '../common/logger.js';
import { startDemoPostgres } from './embedded-postgres.js';
import { checkDatabaseUrl, checkReachable } from './database-url.js';
import { demoData, type DemoData, type DemoSize } from './generate/index.js';
import { MINUTE } from './generate/time.js';
import type { StatePaths } from './paths.js';
import { createSourceTables, seedSourceTables, type TableCounts } from './seed.js';
import { applyWindow, type SimulatedChanges } from './simulate.js';
import { readSourceTables, type SourceTable } from './source-contracts.js';
import { readDemoState, writeDemoState, type DemoState } from './state.js';

export const DEFAULT_SEED = 20261122;
/** The seeded history ends this long before the first run, so `simulate` has real time to fill. */
export const ANCHOR_LAG = 3 * 60 * MINUTE;
/** Simulated rows stay this far behind the wall clock, clear of any loader safety lag. */
export const SIMULATE_SAFETY = 2 * MINUTE;

export interface DemoSourceOptions {
  paths: StatePaths;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  size?: DemoSize;
  scale?: number;
  seed?: number;
  /** Seed an external DATABASE_URL too (never done unless asked). */
  seedExternal?: boolean;
  contractsDir?: string;
  now?: Date;
  onProgress?: (message: string) => void;
  /** What the current step is doing (seeding: the table and rows so far). */
  onDetail?: (text: string) => void;
}

export interface DemoSource {
  url: string;
  kind: 'embedded' | 'external';
  /** Rows written by this start's seeding, or null when the source already had its data. */
  seeded: TableCounts | null;
  state: DemoState | null;
  tables: SourceTable[];
  describe: string;
  stop(): Promise<void>;
}

function dataFor(state: DemoState): DemoData {
  return demoData({ seed: state.seed, size: state.size, scale: state.scale, anchor: new Date(state.anchor) });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A server that goes away mid-query fails that query; unheard, pg's 'error' event would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The operational database the demo reads: the embedded Postgres in the state dir (created and seeded
 * on first start), or DATABASE_URL when set (seeded only with `seedExternal`).
 */
export async function openDemoSource(options: DemoSourceOptions): Promise<DemoSource> {
  const { paths, env, logger } = options;
  const tables = await readSourceTables(options.contractsDir);
  const external = env.DATABASE_URL !== undefined && env.DATABASE_URL !== '';
  let url: string;
  let stop: () => Promise<void> = async () => undefined;
  let freshCluster = false;
  if (external) {
    url = checkDatabaseUrl(env.DATABASE_URL as string);
    await checkReachable(url);
  } else {
    options.onProgress?.('starting embedded Postgres');
    const server = await startDemoPostgres({ dataDir: paths.postgres, configFile: paths.postgresConfig, logger });
    url = server.url;
    stop = server.stop;
    freshCluster = server.created;
  }
  try {
    // A new cluster has none of the rows an old state file describes (its data was deleted): seed again.
    let state = freshCluster ? null : await readDemoState(paths.demoState);
    let seeded: TableCounts | null = null;
    if (state === null && (!external || options.seedExternal === true)) {
      const now = options.now ?? new Date();
      const anchor = new Date(Math.floor((now.getTime() - ANCHOR_LAG) / MINUTE) * MINUTE);
      const fresh: DemoState = {
        version: 1, seed: options.seed ?? DEFAULT_SEED, size: options.size ?? 'small', scale: options.scale ?? 1,
        anchor: anchor.toISOString(), clock: anchor.toISOString(), simulations: 0,
      };
      options.onProgress?.(`seeding demo data (${fresh.size}${fresh.scale !== 1 ? ` ×${fresh.scale}` : ''}, seed ${fresh.seed}) up to ${fresh.anchor}`);
      seeded = await withClient(url, async (client) => {
        await createSourceTables(client, tables, { replace: !external });
        let done = 0;
        let total = 0;
        return seedSourceTables(client, tables, dataFor(fresh), (table, rows) => {
          done += 1;
          total += rows;
          logger.debug({ table, rows }, 'seeded source table');
          options.onDetail?.(`${done}/${tables.length} tables, ${total.toLocaleString('en-US')} rows (last: ${table})`);
        });
      });
      await writeDemoState(paths.demoState, fresh);
      state = fresh;
    } else if (state !== null && options.size !== undefined && (options.size !== state.size || (options.scale ?? 1) !== state.scale)) {
      logger.warn({ stateSize: state.size, stateScale: state.scale }, 'the state dir already holds demo data of another size; run `landform reset` to change it');
    }
    return {
      url, kind: external ? 'external' : 'embedded', seeded, state, tables,
      describe: external ? `Postgres ${redactUrl(url)}` : `embedded Postgres ${redactUrl(url)} (data in ${paths.postgres})`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface SimulationResult {
  from: string;
  to: string;
  changes: Record<string, SimulatedChanges>;
}

/**
 * Advances the simulated clock by `minutes` (never past the wall clock) and writes that window's activity
 * to the source: appended rows, updated rows, a rewritten reference table.
 */
export async function simulateActivity(source: DemoSource, paths: StatePaths, minutes: number, now: Date = new Date()): Promise<SimulationResult> {
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`--minutes must be a positive number, got ${minutes}`);
  // Always the file: the clock moves with every simulation, the state read at open time may be stale.
  const state = await readDemoState(paths.demoState);
  if (state === null) throw new Error('no demo data to simulate on: run `landform demo` first (or `landform simulate --seed` for an external DATABASE_URL)');
  const from = new Date(state.clock);
  const limit = now.getTime() - SIMULATE_SAFETY;
  const to = new Date(Math.min(from.getTime() + minutes * MINUTE, limit));
  if (to.getTime() <= from.getTime()) {
    throw new Error(`the simulated clock (${state.clock}) has caught up with real time; wait a few minutes, or run \`landform reset\``);
  }
  const changes = await withClient(source.url, (client) => applyWindow(client, source.tables, dataFor(state), { from, to }));
  await writeDemoState(paths.demoState, { ...state, clock: to.toISOString(), simulations: state.simulations + 1 });
  return { from: from.toISOString(), to: to.toISOString(), changes };
}
