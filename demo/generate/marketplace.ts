import { prngFor } from './prng.js';
import type { DemoRow } from './row.js';
import { DAY, HOUR, MINUTE, SECOND, diurnal, floorTo, hourBuckets, inWindow, weekday, type TimeWindow } from './time.js';
import type { Timeline } from './timeline.js';
import type { Vendor, World } from './world.js';

/** Marketplace commission kept before paying a vendor out. */
export const PAYOUT_FEE_RATE = 0.08;
export const PAYOUT_HOUR = 6;
const MAX_EVENT_DELAY = 36 * HOUR;

export interface MarketplaceEvent {
  eventId: string;
  eventType: 'order_created' | 'order_paid' | 'cash_collected' | 'payout_completed';
  orderId: string | null;
  storeId: string | null;
  vendorStoreId: string;
  amountCents: number | null;
  occurredAt: number;
  ingestedAt: number;
}

/** Every event of the orders created in one hour: created, then paid by card (most), collected in cash, or abandoned. */
function ordersOfHour(world: World, bucket: number): MarketplaceEvent[] {
  const rng = prngFor(world.seed, `orders:${bucket}`);
  const perHour = (world.profile.ordersPerDay / 24) * diurnal(new Date(bucket).getUTCHours()) * weekday(bucket);
  const count = rng.poisson(perHour);
  const weights = world.vendors.map((v) => [v, v.popularity] as const);
  const events: MarketplaceEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const vendor: Vendor = rng.weighted(weights);
    const orderId = `ord_${rng.hex(16)}`;
    const storeId = rng.pick(world.buyerStores);
    const amountCents = Math.max(300, Math.round(rng.logNormal(vendor.basketCents, 0.45)));
    const createdAt = bucket + rng.int(0, HOUR / SECOND - 1) * SECOND;
    const base = { orderId, storeId, vendorStoreId: vendor.vendorStoreId, amountCents };
    events.push({ ...base, eventId: `evt_${rng.hex(20)}`, eventType: 'order_created', occurredAt: createdAt, ingestedAt: createdAt + rng.int(1, 5) * SECOND });
    const outcome = rng.weighted([['card', 72], ['cash', 23], ['abandoned', 5]] as const);
    if (outcome === 'card') {
      const paidAt = createdAt + rng.int(1, 30) * MINUTE;
      events.push({ ...base, eventId: `evt_${rng.hex(20)}`, eventType: 'order_paid', occurredAt: paidAt, ingestedAt: paidAt + rng.int(1, 5) * SECOND });
    } else if (outcome === 'cash') {
      const collectedAt = createdAt + rng.int(2 * 60, 30 * 60) * MINUTE;
      // Couriers sync their cash collections in batches: these often reach the outbox late.
      const lag = rng.chance(0.3) ? rng.int(30, 240) * MINUTE : rng.int(1, 30) * SECOND;
      events.push({ ...base, eventId: `evt_${rng.hex(20)}`, eventType: 'cash_collected', occurredAt: collectedAt, ingestedAt: collectedAt + lag });
    }
  }
  return events;
}

/**
 * One payout per vendor and day at 06:00 UTC for the card payments of the orders created on the previous
 * UTC day, net of the marketplace fee. Cash orders are settled by the courier, not paid out.
 */
function payoutsOfDay(world: World, day: number, timeline: Timeline): MarketplaceEvent[] {
  const previous = day - DAY;
  if (previous < floorTo(timeline.historyStart, DAY)) return [];
  const paid = new Map<string, number>();
  for (let bucket = previous; bucket < day; bucket += HOUR) {
    // Only orders that exist in the source (history starts mid-day) are paid out.
    if (bucket < timeline.historyStart) continue;
    for (const e of ordersOfHour(world, bucket)) {
      if (e.eventType !== 'order_paid') continue;
      paid.set(e.vendorStoreId, (paid.get(e.vendorStoreId) ?? 0) + (e.amountCents ?? 0));
    }
  }
  const rng = prngFor(world.seed, `payouts:${day}`);
  const events: MarketplaceEvent[] = [];
  world.vendors.forEach((vendor, index) => {
    const gross = paid.get(vendor.vendorStoreId) ?? 0;
    if (gross === 0) return;
    const at = day + PAYOUT_HOUR * HOUR + index * MINUTE;
    events.push({
      eventId: `evt_${rng.hex(20)}`, eventType: 'payout_completed', orderId: null, storeId: null, vendorStoreId: vendor.vendorStoreId,
      amountCents: Math.round(gross * (1 - PAYOUT_FEE_RATE)), occurredAt: at, ingestedAt: at + rng.int(1, 20) * SECOND,
    });
  });
  return events;
}

function toRow(e: MarketplaceEvent): DemoRow {
  return {
    event_id: e.eventId, event_type: e.eventType, order_id: e.orderId, store_id: e.storeId, vendor_store_id: e.vendorStoreId,
    amount_cents: e.amountCents, occurred_at: new Date(e.occurredAt), ingested_at: new Date(e.ingestedAt),
  };
}

/** Outbox events that reach the marketplace_events table (ingested_at) inside the window. */
export function* marketplaceEvents(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const to = window.to.getTime();
  const from = window.from === null ? timeline.historyStart : Math.max(timeline.historyStart, window.from.getTime() - MAX_EVENT_DELAY - HOUR);
  for (const bucket of hourBuckets(from, to)) {
    if (bucket < timeline.historyStart) continue;
    for (const e of ordersOfHour(world, bucket)) if (inWindow(e.ingestedAt, window)) yield toRow(e);
  }
  for (let day = floorTo(from, DAY); day <= to; day += DAY) {
    for (const e of payoutsOfDay(world, day, timeline)) if (inWindow(e.ingestedAt, window)) yield toRow(e);
  }
}

/** Ad impressions and clicks on the vendors' campaigns that arrive inside the window. */
export function* adEvents(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const to = window.to.getTime();
  const from = window.from === null ? timeline.historyStart : Math.max(timeline.historyStart, window.from.getTime() - 2 * HOUR);
  const weights = world.vendors.map((v) => [v, v.popularity ** 0.5] as const);
  for (const bucket of hourBuckets(from, to)) {
    if (bucket < timeline.historyStart) continue;
    const rng = prngFor(world.seed, `ads:${bucket}`);
    const count = rng.poisson((world.profile.adImpressionsPerDay / 24) * diurnal(new Date(bucket).getUTCHours()));
    for (let i = 0; i < count; i += 1) {
      const vendor = rng.weighted(weights);
      const campaignId = rng.pick(vendor.campaigns);
      const at = bucket + rng.int(0, HOUR - 1);
      const impression: DemoRow = {
        ad_event_id: `ad_${rng.hex(20)}`, event_type: 'impression', campaign_id: campaignId, vendor_store_id: vendor.vendorStoreId,
        cost_micros: rng.int(2000, 8000), occurred_at: new Date(at), ingested_at: new Date(at + rng.int(100, 4000)),
      };
      if (inWindow((impression.ingested_at as Date).getTime(), window)) yield impression;
      if (rng.chance(0.035)) {
        const clickAt = at + rng.int(2, 90) * SECOND;
        const click: DemoRow = {
          ad_event_id: `ad_${rng.hex(20)}`, event_type: 'click', campaign_id: campaignId, vendor_store_id: vendor.vendorStoreId,
          cost_micros: rng.int(150_000, 900_000), occurred_at: new Date(clickAt), ingested_at: new Date(clickAt + rng.int(100, 4000)),
        };
        if (inWindow((click.ingested_at as Date).getTime(), window)) yield click;
      }
    }
  }
}
