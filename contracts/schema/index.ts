/** Public surface of the contracts module: zod-validated, canonically hashed contracts from contracts/. */
export type { TableContract, TelemetryContract, ColumnContract, MetricContract, LoadMode, PrivacyPolicy } from './schema.js';
export type { LoadedContract, ContractSet, ValidationResult } from './load.js';
export { loadContracts, validateContracts, DEFAULT_CONTRACTS_DIR } from './load.js';
export { canonicalHash, canonicalJson } from './canonical.js';
export { ContractError } from './errors.js';
export { durationSeconds } from './duration.js';
