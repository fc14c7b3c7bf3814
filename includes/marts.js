// Small helpers shared by the mart models.

const settings = require("./settings.js");

/** Partition predicate limiting a mart's read of a large curated table to `mart_window_days`. */
function recentWindow(column) {
  return `${column} >= timestamp_sub(current_timestamp(), interval ${settings.intVar("mart_window_days")} day)`;
}

/** `select 'a' as table_name union all ...`: one row per name, for left joins that must show absences. */
function namesRelation(names, column) {
  return names
    .map((name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${name} is not an identifier`);
      return `select '${name}' as ${column}`;
    })
    .join("\n  union all\n  ");
}

module.exports = { recentWindow, namesRelation };
