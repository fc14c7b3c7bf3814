/** What an extract asks the engine to write, and what it wrote (see export-files.ts). */
export type ExportFormat = 'PARQUET' | 'NEWLINE_DELIMITED_JSON' | 'CSV';
export type ExportCompression = 'NONE' | 'GZIP' | 'SNAPPY' | 'ZSTD';

export interface ExportRequest {
  format: ExportFormat;
  compression: ExportCompression;
  /** CSV only (BigQuery's default: true). */
  printHeader: boolean;
  /** CSV only, one character (BigQuery's default: ","). */
  fieldDelimiter: string;
  /** A partition decorator's digits: YYYY, YYYYMM, YYYYMMDD or YYYYMMDDHH. */
  partition?: string;
}

export interface ExportedFiles {
  /** The written files, in shard order. */
  files: string[];
  rows: number;
  bytes: number;
  /** Removes the directory holding the files. */
  release(): Promise<void>;
}
