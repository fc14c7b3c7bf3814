import { Prng, prngFor } from './prng.js';
import type { SizeProfile } from './sizes.js';

/** The fixed cast of the demo: devices, vendors, entities... derived from the seed alone. */
export interface Device {
  deviceId: string;
  serialNumber: string;
  model: DeviceModel;
  site: string;
  ownerEmail: string | null;
  installedAt: Date;
  /** Extra metric keys this device's firmware sends that the telemetry contract does not know. */
  extraKeys: string[];
  /** Per-device baselines and drift per day, by metric key. */
  baseline: Record<string, number>;
  driftPerDay: Record<string, number>;
  /** Probability that a reading slot is missed (device offline). */
  offlineRate: number;
}

export type DeviceModel = 'PX-200 pump' | 'GX-50 generator' | 'EX-9 engine';

export const MODEL_METRICS: Record<DeviceModel, string[]> = {
  'PX-200 pump': ['water_pressure_psi', 'battery_v'],
  'GX-50 generator': ['oil_pressure_psi', 'coolant_temp_c', 'engine_rpm', 'fuel_level_pct', 'battery_v'],
  'EX-9 engine': ['oil_pressure_psi', 'coolant_temp_c', 'engine_rpm', 'battery_v'],
};

/** Typical value and noise of each known metric (inside the contract's ranges). */
export const METRIC_NORMS: Record<string, { mean: number; spread: number; noise: number; drift: number }> = {
  water_pressure_psi: { mean: 70, spread: 15, noise: 2.5, drift: -0.8 },
  oil_pressure_psi: { mean: 45, spread: 8, noise: 1.5, drift: -0.3 },
  battery_v: { mean: 13.2, spread: 0.5, noise: 0.08, drift: -0.04 },
  coolant_temp_c: { mean: 88, spread: 5, noise: 1.2, drift: 0.4 },
  engine_rpm: { mean: 1800, spread: 300, noise: 40, drift: 0 },
  fuel_level_pct: { mean: 70, spread: 20, noise: 0.3, drift: 0 },
};

export const UNKNOWN_METRIC_KEYS = ['vibration_mm_s', 'ambient_temp_c', 'signal_rssi_dbm'];

export interface Vendor {
  vendorStoreId: string;
  /** Relative share of orders. */
  popularity: number;
  /** Typical basket in cents. */
  basketCents: number;
  campaigns: string[];
}

export interface Entity {
  entityId: string;
  name: string;
  /** Relative mention weight, and its growth per day towards the anchor (trending entities grow). */
  weight: number;
  growthPerDay: number;
}

export interface World {
  seed: number;
  profile: SizeProfile;
  sites: string[];
  devices: Device[];
  vendors: Vendor[];
  buyerStores: string[];
  users: string[];
  entities: Entity[];
}

const SITE_NAMES = [
  'north-reservoir', 'river-bend', 'hill-station', 'east-quarry', 'harbor-yard', 'valley-farm', 'west-depot', 'airport-apron',
  'lake-intake', 'south-mine', 'canal-lock', 'ridge-tower',
];
const ENTITY_NAMES = [
  'PDVSA', 'Chevron', 'Central Bank', 'Ministry of Energy', 'IMF', 'OPEC', 'Caracas', 'Maracaibo', 'Port of La Guaira', 'Citgo',
  'National Assembly', 'Electoral Council', 'Rosneft', 'Repsol', 'Eni', 'World Bank', 'Bogota', 'Havana', 'Orinoco Belt',
  'Guri Dam', 'Supreme Court', 'Treasury', 'UN Refugee Agency', 'Red Cross', 'Conviasa', 'Banco de Venezuela', 'Mercosur',
  'Petrobras', 'Shell', 'TotalEnergies',
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/(^-|-$)/g, '');
}

export function buildWorld(seed: number, profile: SizeProfile, anchor: Date): World {
  const rng = prngFor(seed, 'world');
  const siteCount = Math.min(SITE_NAMES.length, Math.max(2, Math.ceil(profile.devices / 3)));
  const sites = SITE_NAMES.slice(0, siteCount);
  const devices: Device[] = [];
  for (let i = 1; i <= profile.devices; i += 1) devices.push(buildDevice(rng, i, sites, anchor));

  const vendors: Vendor[] = [];
  for (let i = 1; i <= profile.vendors; i += 1) {
    const campaigns = Array.from({ length: rng.int(1, 3) }, (_, c) => `cmp-${pad(i, 3)}-${c + 1}`);
    // A long tail: a few vendors sell most.
    vendors.push({ vendorStoreId: `vendor-${pad(i, 3)}`, popularity: 1 / i ** 0.8, basketCents: rng.int(1800, 9500), campaigns });
  }
  const buyerStores = Array.from({ length: profile.buyerStores }, (_, i) => `store-${pad(i + 1, 4)}`);
  const users = Array.from({ length: Math.max(5, Math.round(profile.queriesPerDay / 15)) }, (_, i) => `user-${pad(i + 1, 5)}`);

  const entities: Entity[] = [];
  for (let i = 0; i < profile.entities; i += 1) {
    const base = ENTITY_NAMES[i % ENTITY_NAMES.length] as string;
    const name = i < ENTITY_NAMES.length ? base : `${base} ${Math.floor(i / ENTITY_NAMES.length) + 1}`;
    // Every fifth entity (from the third) is trending: its mentions grow fast towards the anchor.
    const trending = i % 5 === 2;
    entities.push({ entityId: `ent-${slug(name)}`, name, weight: rng.uniform(0.3, 1.5), growthPerDay: trending ? rng.uniform(0.8, 1.4) : rng.uniform(-0.1, 0.1) });
  }
  return { seed, profile, sites, devices, vendors, buyerStores, users, entities };
}

function buildDevice(rng: Prng, index: number, sites: string[], anchor: Date): Device {
  const model = rng.weighted<DeviceModel>([['PX-200 pump', 5], ['GX-50 generator', 3], ['EX-9 engine', 2]]);
  const baseline: Record<string, number> = {};
  const driftPerDay: Record<string, number> = {};
  for (const key of MODEL_METRICS[model]) {
    const norm = METRIC_NORMS[key] as (typeof METRIC_NORMS)[string];
    baseline[key] = rng.normal(norm.mean, norm.spread / 3);
    driftPerDay[key] = norm.drift * rng.uniform(0, 2);
  }
  const firmwareV2 = rng.chance(0.25);
  const installedDaysAgo = rng.int(30, 900);
  return {
    deviceId: `dev-${pad(index, 5)}`,
    serialNumber: `SN${rng.hex(10).toUpperCase()}`,
    model,
    site: rng.pick(sites),
    ownerEmail: rng.chance(0.8) ? `ops.${rng.pick(['ana', 'luis', 'maria', 'jose', 'carla', 'pedro'])}${index}@example.com` : null,
    installedAt: new Date(anchor.getTime() - installedDaysAgo * 86_400_000 - rng.int(0, 86_399) * 1000),
    extraKeys: firmwareV2 ? [rng.pick(UNKNOWN_METRIC_KEYS)] : [],
    baseline,
    driftPerDay,
    offlineRate: rng.chance(0.15) ? rng.uniform(0.05, 0.3) : rng.uniform(0, 0.02),
  };
}
