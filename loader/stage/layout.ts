/**
 * Where a batch's files live in the stage, following the export spec's layout:
 * `{env}/{dataset}/{table}/{yyyy}/{MM}/{dd}/{table}_{yyyymmdd}_{HHMMSS}_{batch}.{format}.{compression}`,
 * with the manifest, quarantine file and SUCCESS/FAILURE markers beside the data file.
 */
export const DATA_FORMAT = 'jsonl';
export type Compression = 'gzip' | 'none';
const EXTENSION: Record<Compression, string> = { gzip: '.gz', none: '' };

export interface BatchPaths {
  dir: string;
  stem: string;
  /** Data part `index` (0-based; numbered from 001 in the name, as in the export spec). */
  part(index: number): string;
  /** Parquet data part `index` (compressed inside the file, so no extension for it). */
  parquetPart(index: number): string;
  /** CSV data part `index`. */
  csvPart(index: number): string;
  quarantine: string;
  manifest: string;
  success: string;
  failure: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function batchPaths(input: { env: string; dataset: string; table: string; batchId: string; at: Date; compression?: Compression }): BatchPaths {
  const { env, dataset, table, batchId, at } = input;
  const ext = EXTENSION[input.compression ?? 'gzip'];
  const yyyy = pad(at.getUTCFullYear(), 4);
  const MM = pad(at.getUTCMonth() + 1);
  const dd = pad(at.getUTCDate());
  const time = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  const dir = `${env}/${dataset}/${table}/${yyyy}/${MM}/${dd}`;
  const stem = `${dir}/${table}_${yyyy}${MM}${dd}_${time}_${batchId}`;
  return {
    dir,
    stem,
    part: (index: number) => `${stem}_${pad(index + 1, 3)}.${DATA_FORMAT}${ext}`,
    parquetPart: (index: number) => `${stem}_${pad(index + 1, 3)}.parquet`,
    csvPart: (index: number) => `${stem}_${pad(index + 1, 3)}.csv${ext}`,
    quarantine: `${stem}.quarantine.${DATA_FORMAT}${ext}`,
    manifest: `${stem}.manifest.json`,
    success: `${stem}.SUCCESS`,
    failure: `${stem}.FAILURE`,
  };
}
