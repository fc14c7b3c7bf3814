// Business invariants of the curated tables, checked over the same recent window as the contract
// checks (see includes/checks.js): the enumerations and relations the source systems promise.
const INVARIANTS = {
  query_logs: ["status in ('ok', 'error')", "latency_ms >= 0", "result_count >= 0"],
  ingestion_runs: [
    "status in ('running', 'succeeded', 'failed')",
    "(status = 'running') = (finished_at is null)",
    "finished_at is null or finished_at >= started_at",
    "docs_processed >= 0 and docs_failed >= 0",
  ],
  eval_runs: ["cases_total >= 0", "cases_passed between 0 and cases_total", "score is null or score between 0 and 1"],
  marketplace_events: [
    "event_type in ('order_created', 'cash_collected', 'order_paid', 'payout_completed')",
    "amount_cents is null or amount_cents >= 0",
    "order_id is not null or event_type = 'payout_completed'",
  ],
  ad_events: ["event_type in ('impression', 'click')", "cost_micros >= 0"],
  news_events: [
    "event_type in ('political', 'economic', 'security', 'energy', 'social')",
    "severity in ('low', 'medium', 'high', 'critical')",
    "risk_score between 0 and 100",
    "location is null or regexp_contains(location, r'^[A-Z]{3}$')",
    "created_at is null or created_at <= updated_at",
  ],
  un_comtrade: [
    "trade_flow in ('export', 'import')",
    "value_usd >= 0",
    "extract(day from period) = 1",
    "regexp_contains(reporter_code, r'^[A-Z]{3}$') and (partner_code is null or regexp_contains(partner_code, r'^[A-Z]{3}$'))",
    "partner_code is null or partner_code != reporter_code",
    "regexp_contains(commodity_code, r'^[0-9]{2}$')",
  ],
  world_bank: [
    "extract(month from date) = 1 and extract(day from date) = 1",
    "regexp_contains(country_code, r'^[A-Z]{3}$')",
    "indicator_id != 'NY.GDP.MKTP.CD' or value is null or value > 0",
  ],
};

for (const [name, conditions] of Object.entries(INVARIANTS)) {
  const curated = `cur_${name}`;
  assert(`${curated}_invariants`, {
    schema: "landform_assertions",
    description: `Business invariants of ${curated}; returns each breaking row with the condition it breaks.`,
    tags: ["assertions", "curated", contracts.table(name).domain],
  }).query((ctx) => checks.rowConditionsQuery(name, ctx.ref(curated), conditions));
}
