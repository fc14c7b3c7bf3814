// Checks every curated table against its contract (see includes/checks.js for why these are
// standalone assertions rather than inline ones).
for (const name of contracts.TABLE_NAMES) {
  const contract = contracts.table(name);
  const curated = `cur_${name}`;
  const common = { schema: "landform_assertions", tags: ["assertions", "curated", contract.domain] };

  assert(`${curated}_unique_key`, { ...common, description: `${curated} has one row per ${contract.primary_key.join(", ")}.` })
    .query((ctx) => checks.uniqueKeyQuery(name, ctx.ref(curated)));

  assert(`${curated}_non_null`, { ...common, description: `REQUIRED columns of the ${name} contract and the loader columns are never null in ${curated}.` })
    .query((ctx) => checks.nonNullQuery(name, ctx.ref(curated)));

  if (contract.metrics_contract) {
    assert(`${curated}_metric_ranges`, { ...common, description: `Typed metrics of ${curated} lie within the ranges of ${contract.metrics_contract}.` })
      .query((ctx) => checks.metricRangesQuery(name, ctx.ref(curated)));
  }

  // Reference data (full_refresh) is reloaded on its own schedule, so only cursor-loaded tables have a freshness bound.
  if (contract.load.mode !== "full_refresh") {
    assert(`${curated}_freshness`, { ...common, description: `${curated} has received a load within freshness_max_hours (when it has rows).` })
      .query((ctx) => checks.freshnessQuery(name, ctx.ref(curated)));
  }
}
