import { prngFor } from './prng.js';
import type { DemoRow } from './row.js';
import { HOUR, floorTo, inWindow, type TimeWindow } from './time.js';
import type { Timeline } from './timeline.js';
import type { World } from './world.js';

interface DeviceChange {
  at: number;
  site?: string;
  ownerEmail?: string | null;
}

/** Changes to device rows (a device moved to another site, or handed to another owner): about one an hour per 24 devices. */
function changesUpTo(world: World, timeline: Timeline, to: number): Map<string, DeviceChange[]> {
  const changes = new Map<string, DeviceChange[]>();
  for (let hour = floorTo(timeline.historyStart, HOUR); hour <= to; hour += HOUR) {
    const rng = prngFor(world.seed, `devices:${hour}`);
    const count = Math.max(1, rng.poisson(world.devices.length / 24));
    for (let i = 0; i < count; i += 1) {
      const device = rng.pick(world.devices);
      const at = hour + rng.int(0, HOUR - 1);
      const change: DeviceChange = rng.chance(0.5)
        ? { at, site: rng.pick(world.sites) }
        : { at, ownerEmail: `ops.${rng.pick(['rosa', 'diego', 'elena', 'tomas'])}${rng.int(1, 99)}@example.com` };
      if (at < timeline.historyStart || at > to) continue;
      const list = changes.get(device.deviceId) ?? [];
      list.push(change);
      changes.set(device.deviceId, list);
    }
  }
  return changes;
}

/** Device rows whose last change falls in the window, in their state at the window's end. */
export function* deviceRows(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const to = window.to.getTime();
  const changes = changesUpTo(world, timeline, to);
  for (const device of world.devices) {
    let site = device.site;
    let ownerEmail = device.ownerEmail;
    let updatedAt = device.installedAt.getTime();
    for (const change of changes.get(device.deviceId) ?? []) {
      if (change.site !== undefined) site = change.site;
      if (change.ownerEmail !== undefined) ownerEmail = change.ownerEmail;
      updatedAt = change.at;
    }
    if (!inWindow(updatedAt, window)) continue;
    yield {
      device_id: device.deviceId,
      serial_number: device.serialNumber,
      model: device.model,
      site,
      owner_email: ownerEmail,
      installed_at: device.installedAt,
      updated_at: new Date(updatedAt),
    };
  }
}
