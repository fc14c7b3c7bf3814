import { prngFor } from './prng.js';
import type { DemoRow } from './row.js';
import { DAY, HOUR, MINUTE, SECOND, hourBuckets, inWindow, type TimeWindow } from './time.js';
import type { Timeline } from './timeline.js';
import type { Entity, World } from './world.js';

const SOURCES = ['Reuters', 'AP', 'El Nacional', 'Bloomberg', 'Efecto Cocuyo', 'BBC Mundo'];
const TYPES: readonly (readonly [string, number, number])[] = [
  // type, weight, typical risk score
  ['political', 4, 55], ['economic', 4, 45], ['security', 2, 68], ['energy', 3, 50], ['social', 2, 38],
];
const HEADLINES: Record<string, string[]> = {
  political: ['Talks resume between government and opposition', 'New electoral calendar announced', 'Sanctions review under way'],
  economic: ['Bolivar slides against the dollar', 'Inflation print surprises analysts', 'Bond restructuring talks stall'],
  security: ['Border crossing closed after clashes', 'Port security tightened', 'Protest turns violent in the capital'],
  energy: ['Refinery outage cuts fuel supply', 'Oil exports rise for third month', 'Power grid failure hits western states'],
  social: ['Teachers strike over wages', 'Migration flows increase at border', 'Hospital shortages reported'],
};
const MAX_REVISION_DELAY = 30 * HOUR;
/** Where events happen (ISO 3166-1 alpha-3), by weight; null: not located. */
const LOCATIONS: readonly (readonly [string | null, number])[] = [['VEN', 12], ['COL', 3], ['BRA', 1], ['MEX', 1], ['USA', 2], [null, 2]];
const SITES: Record<string, { host: string; language: string }> = {
  Reuters: { host: 'www.reuters.com/world/americas', language: 'en' },
  AP: { host: 'apnews.com/article', language: 'en' },
  'El Nacional': { host: 'www.elnacional.com/venezuela', language: 'es' },
  Bloomberg: { host: 'www.bloomberg.com/news/articles', language: 'en' },
  'Efecto Cocuyo': { host: 'efectococuyo.com/politica', language: 'es' },
  'BBC Mundo': { host: 'www.bbc.com/mundo/articles', language: 'es' },
};
const LEADS: Record<string, string> = {
  political: 'Officials and opposition figures gave conflicting accounts as negotiations continued behind closed doors.',
  economic: 'Analysts said the figures would weigh on import costs and household purchasing power in the coming weeks.',
  security: 'Authorities deployed additional units to the area and said the situation was under control.',
  energy: 'The state oil company said repairs were under way but gave no date for normal operations.',
  social: 'Organizers said the action would continue until the government responded to their demands.',
};

export function severityOf(riskScore: number): string {
  if (riskScore >= 85) return 'critical';
  if (riskScore >= 65) return 'high';
  if (riskScore >= 40) return 'medium';
  return 'low';
}

interface NewsEvent {
  eventId: string;
  title: string;
  sourceName: string;
  eventType: string;
  riskScore: number;
  mentionedAt: number;
  publishedAt: number;
  revision: { at: number; riskScore: number } | null;
  mentions: { mentionId: string; entity: Entity; ingestedAt: number }[];
}

/** The seed's wider event fields; drawn from their own stream so the other fields keep their values. */
function eventDetails(world: World, e: NewsEvent): DemoRow {
  const rng = prngFor(world.seed, `news-detail:${e.eventId}`);
  const location = rng.weighted(LOCATIONS);
  const site = SITES[e.sourceName] ?? { host: 'example.org/news', language: 'en' };
  const slug = e.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/(^-|-$)/g, '');
  const tags = [e.eventType, ...(location === null ? [] : [location.toLowerCase()])];
  return {
    content: `${e.title}. ${LEADS[e.eventType] ?? ''}`.trim(),
    source_url: `https://${site.host}/${slug}-${e.eventId.slice(5, 13)}`,
    location,
    created_at: new Date(e.publishedAt),
    metadata: { language: site.language, word_count: rng.int(180, 1400), tags },
  };
}

function clamp(v: number): number {
  return Math.round(Math.min(100, Math.max(0, v)) * 10) / 10;
}

function eventsOfHour(world: World, timeline: Timeline, bucket: number): NewsEvent[] {
  const rng = prngFor(world.seed, `news:${bucket}`);
  // Risk climbs over the last two days before the anchor: the crisis the dashboard should show.
  const crisis = Math.max(0, 1 - Math.abs(bucket - timeline.anchor) / (2 * DAY)) * 15;
  const types = TYPES.map((t) => [t, t[1]] as const);
  const events: NewsEvent[] = [];
  const count = rng.poisson(world.profile.newsPerDay / 24);
  for (let i = 0; i < count; i += 1) {
    const [eventType, , typical] = rng.weighted(types);
    const mentionedAt = bucket + rng.int(0, HOUR / SECOND - 1) * SECOND;
    const riskScore = clamp(rng.normal(typical + crisis, 14));
    const revised = rng.chance(0.25);
    const revisionAt = mentionedAt + rng.int(2 * 60, MAX_REVISION_DELAY / MINUTE) * MINUTE;
    const revisionScore = clamp(riskScore + rng.normal(6, 12));
    const eventId = `news_${rng.hex(16)}`;
    const mentions: NewsEvent['mentions'] = [];
    const days = (mentionedAt - timeline.anchor) / DAY;
    const weights = world.entities.map((e) => [e, e.weight * Math.exp(e.growthPerDay * days)] as const);
    const mentionCount = rng.int(1, 4);
    for (let m = 0; m < mentionCount; m += 1) {
      const late = rng.chance(0.03);
      mentions.push({ mentionId: `men_${rng.hex(16)}`, entity: rng.weighted(weights), ingestedAt: mentionedAt + (late ? rng.int(1, 6) * HOUR : rng.int(5, 300) * SECOND) });
    }
    events.push({
      eventId, eventType, riskScore, mentionedAt, mentions,
      title: rng.pick(HEADLINES[eventType] ?? ['Event']),
      sourceName: rng.pick(SOURCES),
      publishedAt: mentionedAt + rng.int(1, 10) * MINUTE,
      revision: revised ? { at: revisionAt, riskScore: revisionScore } : null,
    });
  }
  return events;
}

function* allEvents(world: World, timeline: Timeline, fromMs: number, toMs: number): Generator<NewsEvent> {
  for (const bucket of hourBuckets(fromMs, toMs)) {
    if (bucket < timeline.historyStart) continue;
    yield* eventsOfHour(world, timeline, bucket);
  }
}

/** News events published or revised inside the window, in their state at its end (risk scores get revised). */
export function* newsEvents(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const to = window.to.getTime();
  const from = window.from === null ? timeline.historyStart : Math.max(timeline.historyStart, window.from.getTime() - MAX_REVISION_DELAY - HOUR);
  for (const e of allEvents(world, timeline, from, to)) {
    if (e.publishedAt > to) continue;
    const revised = e.revision !== null && e.revision.at <= to;
    const updatedAt = revised && e.revision ? e.revision.at : e.publishedAt;
    if (!inWindow(updatedAt, window)) continue;
    const riskScore = revised && e.revision ? e.revision.riskScore : e.riskScore;
    yield {
      event_id: e.eventId, title: e.title, source_name: e.sourceName, event_type: e.eventType, severity: severityOf(riskScore),
      risk_score: riskScore, mentioned_at: new Date(e.mentionedAt), updated_at: new Date(updatedAt),
      ...eventDetails(world, e),
    };
  }
}

/** Entity mentions arriving inside the window; trending entities are mentioned more and more towards the anchor. */
export function* entityMentions(world: World, timeline: Timeline, window: TimeWindow): Generator<DemoRow> {
  const to = window.to.getTime();
  const from = window.from === null ? timeline.historyStart : Math.max(timeline.historyStart, window.from.getTime() - 7 * HOUR);
  for (const e of allEvents(world, timeline, from, to)) {
    for (const m of e.mentions) {
      if (!inWindow(m.ingestedAt, window)) continue;
      yield {
        mention_id: m.mentionId, entity_id: m.entity.entityId, event_id: e.eventId,
        context: `${m.entity.name} ${e.title.charAt(0).toLowerCase()}${e.title.slice(1)}.`,
        mentioned_at: new Date(e.mentionedAt), ingested_at: new Date(m.ingestedAt),
      };
    }
  }
}
