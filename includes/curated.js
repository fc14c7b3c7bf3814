// Curated models: incremental reads of the raw layer and table options from the contracts.
//
// Raw tables keep every version of a source row. A curated model reads only what changed since its
// last run and keeps the latest version per primary key. The checkpoint is a script variable
// (declared in pre_operations), because BigQuery prunes partitions on a variable but not on a
// scalar subquery in WHERE, and raw tables with require_partition_filter accept only pruning filters.
//
// - Tables with require_partition_filter (large, append-only, event-time partitioned): the checkpoint
//   is on the partition column: newest partition already curated minus `late_arrival_days`.
// - Other tables (small, updated in place, e.g. a run's row changes until it finishes): the checkpoint
//   is on the load cursor minus the contract's lookback; those raw tables are read without pruning.
// A full refresh uses the same query with the checkpoint at `backfill_start_date`.

const { table, exportedColumns } = require("./contracts.js");
const { normalizeType } = require("../contracts/schema/shared/types.js");
const settings = require("./settings.js");

const LOOKBACK_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };

function lookbackSeconds(contract) {
  const match = /^([0-9]+)([smhd])$/.exec(String(contract.load.lookback || "0s"));
  if (!match) throw new Error(`contracts/tables/${contract.name}.yaml: load.lookback ${contract.load.lookback} is not a duration`);
  return Number(match[1]) * LOOKBACK_SECONDS[match[2]];
}

function columnType(contract, name) {
  const column = contract.columns.find((c) => c.name === name);
  if (!column) throw new Error(`contracts/tables/${contract.name}.yaml: no column ${name}`);
  return String(column.type).toUpperCase();
}

function prunesOnPartition(contract) {
  return contract.require_partition_filter === true;
}

/** The column the checkpoint compares with, and its type (TIMESTAMP or DATE). */
function checkpointColumn(name) {
  const contract = table(name);
  const column = prunesOnPartition(contract) || !contract.load.cursor ? contract.partition.column : contract.load.cursor;
  return { column, type: columnType(contract, column) };
}

/** `declare checkpoint <type> default (...)`; pass `incremental()` and `self()` from the model. */
function declareCheckpoint(name, isIncremental, self) {
  const contract = table(name);
  const { column, type } = checkpointColumn(name);
  const start = settings.dateVar("backfill_start_date");
  const floor = type === "DATE" ? `date '${start}'` : `timestamp '${start} 00:00:00+00'`;
  if (!isIncremental) return `declare checkpoint ${type.toLowerCase()} default (select ${floor})`;

  if (prunesOnPartition(contract)) {
    const late = settings.intVar("late_arrival_days");
    const horizon = settings.intVar("checkpoint_horizon_days");
    const sub = type === "DATE" ? "date_sub" : "timestamp_sub";
    const now = type === "DATE" ? "current_date()" : "current_timestamp()";
    // The target requires a partition filter too: look for its newest partition within the horizon.
    return [
      `declare checkpoint ${type.toLowerCase()} default (`,
      `  select coalesce(${sub}(max(${column}), interval ${late} day), ${floor})`,
      `  from ${self}`,
      `  where ${column} >= ${sub}(${now}, interval ${horizon} day)`,
      `)`,
    ].join("\n");
  }
  return [
    `declare checkpoint ${type.toLowerCase()} default (`,
    `  select coalesce(timestamp_sub(max(${column}), interval ${lookbackSeconds(contract)} second), ${floor})`,
    `  from ${self}`,
    `)`,
  ].join("\n");
}

/**
 * The WHERE predicate that limits the raw read to rows at or after the checkpoint. A tombstone (a
 * key the loader's scan found gone from the source) repeats the deleted version's cursor, so it is
 * also read when it was found at or after the checkpoint.
 */
function checkpointFilter(name) {
  const { column } = checkpointColumn(name);
  return table(name).deletes ? `(${column} >= checkpoint or _deleted_at >= checkpoint)` : `${column} >= checkpoint`;
}

/** `qualify` clause keeping the newest version of each primary key; on a tie the tombstone wins. */
function latestVersion(name) {
  const contract = table(name);
  const tombstone = contract.deletes ? "_deleted_at is null, " : "";
  const order = contract.load.cursor ? `${contract.load.cursor} desc, ${tombstone}_extracted_at desc` : `${tombstone}_extracted_at desc`;
  return `qualify row_number() over (partition by ${contract.primary_key.join(", ")} order by ${order}) = 1`;
}

/**
 * Post-operation of a table with `deletes: key_scan`: the merge brought each deleted key's
 * tombstone in as its latest version; remove those rows, so curated holds only live keys. Empty
 * for other tables.
 */
function dropDeletedKeys(name, self) {
  return table(name).deletes ? `delete from ${self} where _deleted_at is not null` : "";
}

/**
 * `alter table <self> add column if not exists <column> <type>, ...` for every exported contract
 * column (and `_deleted_at` where deletes are scanned): run before an incremental MERGE, a column
 * added to the contract becomes a column of the existing table, no full refresh. Dataform's MERGE
 * names the columns the table had before the run, so the run that adds it merges NULL into it and
 * the next run fills it for the rows its checkpoint re-reads (a full refresh fills every row).
 */
function addMissingColumns(name, self) {
  const contract = table(name);
  const columns = exportedColumns(name).map((c) => `add column if not exists ${c.name} ${normalizeType(c.type)}`);
  if (contract.deletes) columns.push("add column if not exists _deleted_at TIMESTAMP");
  return `alter table ${self} ${columns.join(", ")}`;
}

/** `partition by` expression for a column at a contract granularity. */
function partitionExpression(column, type, granularity) {
  if (type === "DATE") return granularity === "day" ? column : `date_trunc(${column}, ${granularity})`;
  return `timestamp_trunc(${column}, ${granularity})`;
}

/** The Dataform `bigquery: {}` block of a curated table, from its contract. */
function bigqueryOptions(name) {
  const contract = table(name);
  const { column, granularity, expiration_days: expirationDays } = contract.partition;
  const options = {
    partitionBy: partitionExpression(column, columnType(contract, column), granularity),
    clusterBy: contract.cluster_by || [],
    // Cost attribution by layer and domain in billing exports.
    labels: { layer: "curated", domain: contract.domain, contract_version: String(contract.version) },
  };
  if (expirationDays) options.partitionExpirationDays = expirationDays;
  if (prunesOnPartition(contract)) {
    options.requirePartitionFilter = true;
    // The merge must prune the target as well; matched rows share the source row's partition.
    options.updatePartitionFilter = checkpointFilter(name);
  }
  return options;
}

module.exports = { declareCheckpoint, checkpointFilter, latestVersion, dropDeletedKeys, addMissingColumns, bigqueryOptions, partitionExpression, lookbackSeconds };
