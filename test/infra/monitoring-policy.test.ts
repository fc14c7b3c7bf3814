/**
 * infra/monitoring.tf against its policy (seed 002 §9 thresholds, metrics on the log lines the
 * loader and the extract write), mutations each rule must catch, and cross-checks of the log
 * contract against the loader's source and the runbook.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { checkMonitoringPolicy, LOG_CONTRACT } from './monitoring-policy.js';
import { block, blocks, loadTerraform, type HclObject, type TerraformBlock, type TerraformConfig } from './terraform-config.js';
import { checkPolicy } from './terraform-policy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraform(path.join(root, 'infra'));
});

const mutable = (): TerraformConfig => structuredClone(config);
const rules = (c: TerraformConfig) => checkMonitoringPolicy(c).map((v) => `${v.rule} ${v.subject}`);
const messages = (c: TerraformConfig) => checkMonitoringPolicy(c).map((v) => v.message);

function resource(c: TerraformConfig, type: string, name: string): TerraformBlock {
  const found = c.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`infra/ has no ${type}.${name}`);
  return found;
}
const threshold = (c: TerraformConfig, name: string): HclObject => block(blocks(resource(c, 'google_monitoring_alert_policy', name).body, 'conditions')[0] as HclObject, 'condition_threshold') as HclObject;

describe('infra/monitoring.tf as written', () => {
  test('passes the monitoring policy and the repository-wide policy', () => {
    expect(checkMonitoringPolicy(config)).toEqual([]);
    expect(checkPolicy(config)).toEqual([]);
  });

  test('the thresholds are seed 002 §9: 5% failures in an hour, 30 minutes', () => {
    expect(config.variables.alert_failure_rate?.default).toBe(0.05);
    expect(config.variables.alert_duration_minutes?.default).toBe(30);
    for (const name of ['loader_failure_rate', 'extract_failure_rate']) {
      expect(threshold(config, name).threshold_value).toBe('${var.alert_failure_rate}');
      expect(block(threshold(config, name), 'aggregations')?.alignment_period).toBe('3600s');
    }
    for (const name of ['loader_duration', 'extract_duration']) expect(threshold(config, name).threshold_value).toBe('${var.alert_duration_minutes * 60 * 1000}');
  });

  test('the loader writes the lines its metrics count: "batch published" and "batch failed", each with the table', async () => {
    const source = await readFile(path.join(root, 'loader/load-table.ts'), 'utf8');
    expect(source).toContain("ctx.logger.child({ table: contract.name, batchId })");
    expect(source).toMatch(/log\.info\(\{[^}]*\}, 'batch published'\)/);
    expect(source).toMatch(/log\.error\(\{[^}]*\}, 'batch failed'\)/);
  });

  test('landform extract writes the lines its metrics count: one "export finished" per export with export, status and durationMs', async () => {
    const source = await readFile(path.join(root, 'cli/commands/extract.ts'), 'utf8');
    const fields = /const fields = \{([^}]*)\}/.exec(source)?.[1] ?? '';
    for (const field of ['export: o.name', 'status: o.status', 'durationMs: o.durationMs']) expect(fields).toContain(field);
    expect(source).toContain("logger.error(fields, 'export finished')");
    expect(source).toContain("logger.info(fields, 'export finished')");
  });

  test('the loader adds durationMs to its "batch published" / "batch failed" lines (the duration metric reads it)', async () => {
    const source = await readFile(path.join(root, 'loader/load-table.ts'), 'utf8');
    expect(source).toMatch(/log\.info\(\{[^}]*durationMs: [^}]*\}, 'batch published'\)/);
    expect(source).toMatch(/log\.error\(\{[^}]*durationMs: [^}]*\}, 'batch failed'\)/);
  });

  test('the runbook documents every log field the metrics read', async () => {
    const runbook = await readFile(path.join(root, 'docs/runbook.md'), 'utf8');
    const fields = [...new Set(Object.values(LOG_CONTRACT).flatMap((c) => c.fields))];
    expect(fields.filter((f) => !runbook.includes(`jsonPayload.${f}`))).toEqual([]);
    for (const c of Object.values(LOG_CONTRACT)) expect(runbook).toContain(c.messageClause);
  });
});

describe('mutations the monitoring policy catches', () => {
  test('a failure-rate default other than 5%, or a literal threshold', () => {
    const c = mutable();
    (c.variables.alert_failure_rate as HclObject).default = 0.1;
    threshold(c, 'extract_failure_rate').threshold_value = 0.5;
    expect(rules(c)).toEqual(['monitoring-alert google_monitoring_alert_policy.loader_failure_rate', 'monitoring-alert google_monitoring_alert_policy.extract_failure_rate']);
  });

  test('a failure window other than an hour, or a ratio without its denominator', () => {
    const c = mutable();
    (block(threshold(c, 'loader_failure_rate'), 'denominator_aggregations') as HclObject).alignment_period = '300s';
    delete threshold(c, 'extract_failure_rate').denominator_filter;
    expect(messages(c)).toEqual([
      'numerator and denominator must sum results over 3600s (ALIGN_DELTA, REDUCE_SUM)',
      'denominator must count every result on extract_export_results',
    ]);
  });

  test('a numerator that counts every result instead of the failures', () => {
    const c = mutable();
    const t = threshold(c, 'loader_failure_rate');
    t.filter = t.denominator_filter as string;
    expect(messages(c)).toEqual(['numerator must count metric.label.outcome="batch failed" on loader_batch_results']);
  });

  test('a duration threshold in seconds, or a duration default other than 30 minutes', () => {
    const c = mutable();
    threshold(c, 'loader_duration').threshold_value = '${var.alert_duration_minutes * 60}';
    expect(rules(c)).toEqual(['monitoring-alert google_monitoring_alert_policy.loader_duration']);
    const d = mutable();
    (d.variables.alert_duration_minutes as HclObject).default = 60;
    expect(rules(d)).toEqual(['monitoring-alert google_monitoring_alert_policy.loader_duration', 'monitoring-alert google_monitoring_alert_policy.extract_duration']);
  });

  test('a filter that reads every Cloud Run job, or the wrong log message', () => {
    const c = mutable();
    c.locals.loader_log_filter = String(c.locals.loader_log_filter).replace(' AND resource.labels.job_name="${local.loader_job_name}"', '');
    c.locals.extract_log_filter = String(c.locals.extract_log_filter).replace('export finished', 'export done');
    expect(rules(c)).toEqual(['monitoring-metric local.loader_log_filter', 'monitoring-metric local.extract_log_filter']);
  });

  test('a duration metric without the 30-minute bucket bound, or read from another field', () => {
    const c = mutable();
    c.locals.duration_bounds_ms = [60000, 3600000];
    resource(c, 'google_logging_metric', 'extract_export_duration').body.value_extractor = 'EXTRACT(jsonPayload.elapsed)';
    expect(messages(c)).toEqual([
      'explicit bucket bounds must include 1800000 ms (the alert threshold)',
      'value_extractor must be EXTRACT(jsonPayload.durationMs)',
      'explicit bucket bounds must include 1800000 ms (the alert threshold)',
    ]);
  });

  test('a results metric without the label the failure rate counts, or of the wrong kind', () => {
    const c = mutable();
    const results = resource(c, 'google_logging_metric', 'extract_export_results').body;
    results.label_extractors = { export: 'EXTRACT(jsonPayload.export)' };
    (block(resource(c, 'google_logging_metric', 'loader_batch_results').body, 'metric_descriptor') as HclObject).metric_kind = 'GAUGE';
    expect(messages(c)).toEqual(['must be a DELTA INT64 metric', 'must extract the status label the failure rate counts']);
  });

  test('a lost alert, an alert that notifies nobody, and an e-mail channel that is not optional', () => {
    const c = mutable();
    c.resources = c.resources.filter((r) => r.name !== 'extract_duration');
    resource(c, 'google_monitoring_alert_policy', 'loader_failure_rate').body.notification_channels = [];
    resource(c, 'google_monitoring_notification_channel', 'email').body.count = '${var.enable_export ? 1 : 0}';
    expect(rules(c)).toEqual([
      'monitoring-alert google_monitoring_alert_policy.loader_failure_rate',
      'monitoring-alert google_monitoring_alert_policy.extract_duration',
      'monitoring-channel google_monitoring_notification_channel.email',
    ]);
  });

  test('an ungated loader metric fails the repository-wide gate', () => {
    const c = mutable();
    delete resource(c, 'google_logging_metric', 'loader_batch_duration').body.count;
    expect(checkPolicy(c).map((v) => `${v.rule} ${v.subject}`)).toEqual(['export-gate google_logging_metric.loader_batch_duration']);
  });
});
