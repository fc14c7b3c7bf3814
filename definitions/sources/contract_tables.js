// One declaration per table contract: the raw tables the loader lands in landform_raw, with the
// contract's descriptions (privacy `drop` columns never reach BigQuery, so they are not declared).
for (const name of contracts.TABLE_NAMES) {
  const contract = contracts.table(name);
  declare({
    schema: settings.RAW_DATASET,
    name,
    description: `${contract.description} Raw layer: every version of a source row (load mode ${contract.load.mode}); contract ${name} v${contract.version}.`,
    columns: contracts.columnDescriptions(name),
    tags: ["raw", contract.domain],
  });
}
