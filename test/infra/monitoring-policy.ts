/**
 * Policy checks for infra/monitoring.tf (a pure function of TerraformConfig): per lane (loader,
 * extract) a log-based counter of results and a distribution of durations on the structured log
 * lines, and alerts at seed 002 §9's thresholds: failure rate over 5% in an hour, a batch or export
 * over 30 minutes. The log fields each lane's filter reads are LOG_CONTRACT (docs/runbook.md, "Alerts").
 */
import { block, blocks, type HclObject, type HclValue, type TerraformBlock, type TerraformConfig } from './terraform-config.js';
import type { Violation } from './terraform-policy.js';

export const SEED_FAILURE_RATE = 0.05;
export const SEED_DURATION_MINUTES = 30;
export const FAILURE_WINDOW = '3600s';

export interface LaneContract {
  /** Terraform expression of the Cloud Run job's name. */
  job: string;
  /** Filter clause on the message of the result lines. */
  messageClause: string;
  /** jsonPayload fields the metrics read. */
  fields: string[];
  filterLocal: string;
  resultsMetric: string;
  durationMetric: string;
  /** Numerator clause of the failure rate. */
  failureClause: string;
  failureAlert: string;
  durationAlert: string;
}

export const LOG_CONTRACT: Record<'loader' | 'extract', LaneContract> = {
  loader: {
    job: '${local.loader_job_name}',
    messageClause: 'jsonPayload.msg=("batch published" OR "batch failed")',
    fields: ['msg', 'table', 'durationMs'],
    filterLocal: 'loader_log_filter',
    resultsMetric: 'loader_batch_results',
    durationMetric: 'loader_batch_duration',
    failureClause: 'metric.label.outcome="batch failed"',
    failureAlert: 'loader_failure_rate',
    durationAlert: 'loader_duration',
  },
  extract: {
    job: '${local.extract_job_name}',
    messageClause: 'jsonPayload.msg="export finished" AND jsonPayload.status=("SUCCESS" OR "FAILURE")',
    fields: ['msg', 'status', 'export', 'durationMs'],
    filterLocal: 'extract_log_filter',
    resultsMetric: 'extract_export_results',
    durationMetric: 'extract_export_duration',
    failureClause: 'metric.label.status="FAILURE"',
    failureAlert: 'extract_failure_rate',
    durationAlert: 'extract_duration',
  },
};

/** `${local.x}` → the local's value; anything else as written. */
function resolveLocal(config: TerraformConfig, value: HclValue | undefined): HclValue | undefined {
  if (typeof value !== 'string') return value;
  const m = /^\$\{local\.(\w+)\}$/.exec(value);
  return m ? config.locals[m[1] ?? ''] : value;
}

const find = (config: TerraformConfig, type: string, name: string): TerraformBlock | undefined => config.resources.find((r) => r.type === type && r.name === name);
const metricType = (name: string) => `metric.type="logging.googleapis.com/user/\${google_logging_metric.${name}[0].name}"`;

function condition(policy: TerraformBlock): HclObject {
  return block(blocks(policy.body, 'conditions')[0] ?? {}, 'condition_threshold') ?? {};
}

function checkMetrics(config: TerraformConfig, lane: string, c: LaneContract): Violation[] {
  const violations: Violation[] = [];
  const fail = (subject: string, message: string) => violations.push({ rule: 'monitoring-metric', subject, message });
  const filter = config.locals[c.filterLocal];
  if (typeof filter !== 'string' || !filter.includes('resource.type="cloud_run_job"') || !filter.includes(`resource.labels.job_name="${c.job}"`) || !filter.includes(c.messageClause)) {
    fail(`local.${c.filterLocal}`, `the ${lane} filter must select the ${lane} job's result lines: resource.type="cloud_run_job", job_name ${c.job}, ${c.messageClause}`);
  }
  const results = find(config, 'google_logging_metric', c.resultsMetric);
  const duration = find(config, 'google_logging_metric', c.durationMetric);
  for (const [metric, kind] of [[results, 'INT64'], [duration, 'DISTRIBUTION']] as const) {
    const name = kind === 'INT64' ? c.resultsMetric : c.durationMetric;
    if (!metric) {
      fail(`google_logging_metric.${name}`, `infra/ must define the ${lane} ${kind === 'INT64' ? 'results' : 'duration'} metric`);
      continue;
    }
    const descriptor = block(metric.body, 'metric_descriptor') ?? {};
    if (metric.body.filter !== `\${local.${c.filterLocal}}`) fail(`google_logging_metric.${name}`, `filter must be local.${c.filterLocal}`);
    if (descriptor.metric_kind !== 'DELTA' || descriptor.value_type !== kind) fail(`google_logging_metric.${name}`, `must be a DELTA ${kind} metric`);
  }
  const failureKey = /metric\.label\.(\w+)=/.exec(c.failureClause)?.[1] ?? '';
  const extractors = results?.body.label_extractors;
  if (results && !(typeof extractors === 'object' && extractors !== null && !Array.isArray(extractors) && typeof extractors[failureKey] === 'string')) {
    fail(`google_logging_metric.${c.resultsMetric}`, `must extract the ${failureKey} label the failure rate counts`);
  }
  if (duration) {
    if (duration.body.value_extractor !== 'EXTRACT(jsonPayload.durationMs)') fail(`google_logging_metric.${c.durationMetric}`, 'value_extractor must be EXTRACT(jsonPayload.durationMs)');
    const bounds = resolveLocal(config, block(block(duration.body, 'bucket_options') ?? {}, 'explicit_buckets')?.bounds);
    if (!Array.isArray(bounds) || !bounds.includes(SEED_DURATION_MINUTES * 60_000)) fail(`google_logging_metric.${c.durationMetric}`, `explicit bucket bounds must include ${SEED_DURATION_MINUTES * 60_000} ms (the alert threshold)`);
  }
  return violations;
}

function checkAlerts(config: TerraformConfig, lane: string, c: LaneContract): Violation[] {
  const violations: Violation[] = [];
  const fail = (subject: string, message: string) => violations.push({ rule: 'monitoring-alert', subject, message });
  const rateDefault = config.variables.alert_failure_rate?.default;
  const minutesDefault = config.variables.alert_duration_minutes?.default;

  const rate = find(config, 'google_monitoring_alert_policy', c.failureAlert);
  if (!rate) fail(`google_monitoring_alert_policy.${c.failureAlert}`, `infra/ must define the ${lane} failure-rate alert`);
  else {
    const subject = `google_monitoring_alert_policy.${c.failureAlert}`;
    const t = condition(rate);
    const [num, den] = [block(t, 'aggregations') ?? {}, block(t, 'denominator_aggregations') ?? {}];
    if (t.filter !== `${metricType(c.resultsMetric)} AND resource.type="cloud_run_job" AND ${c.failureClause}`) fail(subject, `numerator must count ${c.failureClause} on ${c.resultsMetric}`);
    if (t.denominator_filter !== `${metricType(c.resultsMetric)} AND resource.type="cloud_run_job"`) fail(subject, `denominator must count every result on ${c.resultsMetric}`);
    if (t.comparison !== 'COMPARISON_GT' || t.threshold_value !== '${var.alert_failure_rate}' || rateDefault !== SEED_FAILURE_RATE) {
      fail(subject, `must open when the failure rate is greater than var.alert_failure_rate, default ${SEED_FAILURE_RATE} (got ${JSON.stringify(t.threshold_value)}, default ${JSON.stringify(rateDefault)})`);
    }
    for (const a of [num, den]) {
      if (a.alignment_period !== FAILURE_WINDOW || a.per_series_aligner !== 'ALIGN_DELTA' || a.cross_series_reducer !== 'REDUCE_SUM') fail(subject, `numerator and denominator must sum results over ${FAILURE_WINDOW} (ALIGN_DELTA, REDUCE_SUM)`);
    }
  }

  const slow = find(config, 'google_monitoring_alert_policy', c.durationAlert);
  if (!slow) fail(`google_monitoring_alert_policy.${c.durationAlert}`, `infra/ must define the ${lane} duration alert`);
  else {
    const subject = `google_monitoring_alert_policy.${c.durationAlert}`;
    const t = condition(slow);
    if (t.filter !== `${metricType(c.durationMetric)} AND resource.type="cloud_run_job"`) fail(subject, `must read ${c.durationMetric}`);
    if (t.comparison !== 'COMPARISON_GT' || t.threshold_value !== '${var.alert_duration_minutes * 60 * 1000}' || minutesDefault !== SEED_DURATION_MINUTES) {
      fail(subject, `must open above var.alert_duration_minutes (default ${SEED_DURATION_MINUTES}) in ms (got ${JSON.stringify(t.threshold_value)}, default ${JSON.stringify(minutesDefault)})`);
    }
  }
  for (const policy of [rate, slow]) {
    if (policy && policy.body.notification_channels !== '${local.alert_channels}') fail(`google_monitoring_alert_policy.${policy.name}`, 'must notify local.alert_channels');
  }
  return violations;
}

function checkChannel(config: TerraformConfig): Violation[] {
  const channel = find(config, 'google_monitoring_notification_channel', 'email');
  const email = config.variables.alert_email;
  const count = channel?.body.count;
  if (!channel || typeof count !== 'string' || !count.includes('var.alert_email != ""') || !count.includes('var.enable_export') || email?.default !== '') {
    return [{ rule: 'monitoring-channel', subject: 'google_monitoring_notification_channel.email', message: 'the e-mail channel must be optional: created only when var.alert_email (default "") is set' }];
  }
  return [];
}

export function checkMonitoringPolicy(config: TerraformConfig): Violation[] {
  return [
    ...Object.entries(LOG_CONTRACT).flatMap(([lane, c]) => [...checkMetrics(config, lane, c), ...checkAlerts(config, lane, c)]),
    ...checkChannel(config),
  ];
}
