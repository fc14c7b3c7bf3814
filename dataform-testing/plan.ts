/**
 * Cases grouped into rounds, each round one set of `dataform run`s over every model in it: a model
 * has one target table, so a round holds at most one case per model, and `--vars` applies to the
 * whole run, so a round's cases set the same vars (exactly: a case that sets none runs on the
 * project's own values, never on another case's).
 */
import type { ModelTestCase } from './spec.js';

export interface Round {
  vars: Record<string, string>;
  cases: ModelTestCase[];
}

const varsKey = (vars: Record<string, string>): string => JSON.stringify(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : 1)));

function fits(round: Round, c: ModelTestCase): boolean {
  return varsKey(round.vars) === varsKey(c.vars) && !round.cases.some((other) => other.model === c.model);
}

/** First fit, in the order given (files sorted by path, cases in file order): the same rounds every time. */
export function planRounds(cases: ModelTestCase[]): Round[] {
  const rounds: Round[] = [];
  for (const c of cases) {
    let round = rounds.find((r) => fits(r, c));
    if (!round) {
      round = { vars: { ...c.vars }, cases: [] };
      rounds.push(round);
    }
    round.cases.push(c);
  }
  return rounds;
}

/** `--vars=a=1,b=2`, or nothing when the round sets none. */
export function varsArgs(vars: Record<string, string>): string[] {
  const entries = Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? [] : [`--vars=${entries.map(([k, v]) => `${k}=${v}`).join(',')}`];
}
