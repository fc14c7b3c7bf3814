import { prngFor, type Prng } from './prng.js';
import type { DemoRow } from './row.js';
import { DAY, HOUR, MINUTE, SECOND, hourBuckets, inWindow, type TimeWindow } from './time.js';
import type { Timeline } from './timeline.js';
import { MODEL_METRICS, type Device, type World } from './world.js';

/** Share of readings that break the contract's range, arrive hours late, or never arrive. */
export const OUT_OF_RANGE_RATE = 0.004;
export const LATE_RATE = 0.015;
export const MAX_LATENESS = 10 * HOUR;
/** Share of older readings where a firmware glitch sent a known metric as text: the loader quarantines these. */
export const GLITCH_RATE = 0.001;
const GLITCH_VALUES = ['ERR', 'NaN', '--'];

const OUT_OF_RANGE_VALUES: Record<string, readonly number[]> = {
  water_pressure_psi: [-4.5, 188],
  oil_pressure_psi: [-2, 131],
  battery_v: [-0.5, 41.7],
  coolant_temp_c: [-55, 162],
  engine_rpm: [9650, 12040],
  fuel_level_pct: [-3, 117],
};

function unknownMetricValue(rng: Prng, key: string): number {
  if (key === 'vibration_mm_s') return round(rng.logNormal(2.2, 0.4), 2);
  if (key === 'ambient_temp_c') return round(rng.normal(27, 4), 1);
  return rng.int(-95, -55);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function metricValue(rng: Prng, device: Device, key: string, t: number, timeline: Timeline): number {
  if (key === 'fuel_level_pct') {
    // Sawtooth: burns down over ~30 hours, then refuelled; phase differs per device.
    const phase = (device.baseline[key] ?? 50) / 100;
    const cycle = ((t - timeline.historyStart) / (30 * HOUR) + phase) % 1;
    return round(Math.max(0, 98 - cycle * 85 + rng.normal(0, 0.3)), 1);
  }
  const days = (t - timeline.historyStart) / DAY;
  const base = (device.baseline[key] ?? 0) + (device.driftPerDay[key] ?? 0) * days;
  if (key === 'engine_rpm') return Math.max(0, Math.round(base + rng.normal(0, 40)));
  const noise = { water_pressure_psi: 2.5, oil_pressure_psi: 1.5, battery_v: 0.08, coolant_temp_c: 1.2 }[key] ?? 1;
  return round(base + rng.normal(0, noise), 2);
}

/** The readings a device sends at slot `t` (ts), with their arrival time; null when the device was offline. */
function reading(rng: Prng, device: Device, t: number, timeline: Timeline): { metrics: Record<string, number | string>; ts: number; ingestedAt: number } | null {
  if (rng.chance(device.offlineRate)) return null;
  const ts = t + rng.int(0, 59) * SECOND;
  const metrics: Record<string, number | string> = {};
  for (const key of MODEL_METRICS[device.model]) metrics[key] = metricValue(rng, device, key, ts, timeline);
  // Glitches only in history older than a day, so small simulated windows never trip the quarantine threshold.
  if (t < timeline.anchor - DAY && rng.chance(GLITCH_RATE)) metrics[rng.pick(MODEL_METRICS[device.model])] = rng.pick(GLITCH_VALUES);
  if (rng.chance(OUT_OF_RANGE_RATE)) {
    const key = rng.pick(MODEL_METRICS[device.model]);
    metrics[key] = rng.pick(OUT_OF_RANGE_VALUES[key] ?? [-1]);
  }
  for (const key of device.extraKeys) metrics[key] = unknownMetricValue(rng, key);
  const late = rng.chance(LATE_RATE);
  const ingestedAt = ts + (late ? rng.int(1 * 3600, MAX_LATENESS / SECOND) : rng.int(1, 40)) * SECOND + rng.int(0, 999);
  return { metrics, ts, ingestedAt };
}

/**
 * Telemetry readings that arrive (ingested_at) inside the window. Every hour bucket has its own
 * PRNG, so any window can be regenerated alone and consecutive windows never repeat a reading.
 * `nextReadingId` numbers rows in emission order (the ingestion service's sequence).
 */
export function* telemetryReadings(world: World, timeline: Timeline, window: TimeWindow, firstReadingId: number): Generator<DemoRow> {
  const interval = world.profile.readingIntervalMinutes * MINUTE;
  const fromMs = Math.max(timeline.historyStart, window.from === null ? timeline.historyStart : window.from.getTime() - MAX_LATENESS - HOUR);
  let readingId = firstReadingId;
  for (const bucket of hourBuckets(fromMs, window.to.getTime())) {
    const rng = prngFor(world.seed, `telemetry:${bucket}`);
    for (let slot = bucket; slot < bucket + HOUR; slot += interval) {
      for (const device of world.devices) {
        const r = reading(rng, device, slot, timeline);
        if (r === null || r.ts < timeline.historyStart || !inWindow(r.ingestedAt, window)) continue;
        yield { reading_id: readingId, device_id: device.deviceId, ts: new Date(r.ts), metrics: r.metrics, ingested_at: new Date(r.ingestedAt) };
        readingId += 1;
      }
    }
  }
}
