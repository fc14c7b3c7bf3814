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
  /**
   * Called with a shard's path just before DuckDB starts writing it, and a promise that settles when
   * the write has ended (rejects when it failed): lets the caller stream the bytes out while they are
   * written instead of reading the finished file again. DuckDB writes each file from start to end.
   */
  onShardStarted?: (filePath: string, written: Promise<void>) => void;
}

export interface ExportedFiles {
  /** The written files, in shard order. */
  files: string[];
  rows: number;
  bytes: number;
  /** Removes the directory holding the files. */
  release(): Promise<void>;
}
