// Relative dates for unit-test inputs and expected rows. Marts read a rolling window ending now,
// so fixed dates would age out of it; both sides of a test use these same expressions.

function whole(n, what) {
  if (!Number.isInteger(n) || n < 0) throw new Error(`fixtures: ${what} must be a non-negative integer (got ${n})`);
  return n;
}

/** Timestamp at `hour`:00 UTC, `daysAgo` days before today. */
function at(daysAgo, hour = 0) {
  return `timestamp_add(timestamp_trunc(timestamp_sub(current_timestamp(), interval ${whole(daysAgo, "daysAgo")} day), day), interval ${whole(hour, "hour")} hour)`;
}

/** UTC date `daysAgo` days before today. */
function day(daysAgo) {
  return `date_sub(current_date(), interval ${whole(daysAgo, "daysAgo")} day)`;
}

/** `hours` hours before the start of the current UTC hour (the instant marts score "as of"). */
function hoursAgo(hours) {
  return `timestamp_sub(timestamp_trunc(current_timestamp(), hour), interval ${whole(hours, "hours")} hour)`;
}

module.exports = { at, day, hoursAgo };
