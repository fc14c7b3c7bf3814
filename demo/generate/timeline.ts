import { DAY } from './time.js';

/** The demo's time frame: history starts `days` before the anchor (the seed's "now"). */
export interface Timeline {
  historyStart: number;
  anchor: number;
}

export function timelineFor(anchor: Date, days: number): Timeline {
  return { historyStart: anchor.getTime() - days * DAY, anchor: anchor.getTime() };
}
