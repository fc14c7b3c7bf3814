/** Bytes a query would be charged on BigQuery's on-demand pricing: per-type column sizes over the partitions its filters keep. */
export { ColumnSizes, valueSizeSql, type KeptPartitions } from './column-sizes.js';
export { billedForTable, estimateBytes, type BytesEstimate, type DmlTarget, type EstimateContext, type TableRead } from './estimate.js';
export { constantEvaluator, type ConstantScope } from './constants.js';
export { viewReads, type ViewScope } from './views.js';
