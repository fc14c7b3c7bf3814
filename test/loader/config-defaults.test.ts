/** The loader's configuration defaults that depend on the stage. */
import { describe, expect, test } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { resolveConfig, type LoaderConfig } from '../../loader/config.js';

const base = (stage: LoaderConfig['stage'], compression?: 'gzip' | 'none'): LoaderConfig => ({
  databaseUrl: 'postgres://unused@127.0.0.1/unused',
  projectId: 'landform-local',
  location: 'US',
  rawDataset: 'landform_raw',
  env: 'test',
  stage,
  bigquery: new BigQuery({ projectId: 'landform-local' }),
  ...(compression ? { compression } : {}),
});

describe('compression of staged files', () => {
  test('none on a local stage, gzip on a GCS stage, unless the config says', () => {
    expect(resolveConfig(base({ kind: 'local', dir: '/tmp/stage' }), { database: false }).compression).toBe('none');
    expect(resolveConfig(base({ kind: 'gcs', bucket: 'landform-stage' }), { database: false }).compression).toBe('gzip');
    expect(resolveConfig(base({ kind: 'local', dir: '/tmp/stage' }, 'gzip'), { database: false }).compression).toBe('gzip');
    expect(resolveConfig(base({ kind: 'gcs', bucket: 'landform-stage' }, 'none'), { database: false }).compression).toBe('none');
  });
});
