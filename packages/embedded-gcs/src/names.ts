import { invalid } from './errors.js';

/**
 * GCS's bucket naming rules (cloud.google.com/storage/docs/buckets#naming). A valid name is only
 * lowercase letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, so it is
 * safe as one path segment on disk.
 */
export function validateBucketName(name: string): void {
  const bad = (why: string): never => {
    throw invalid(`Invalid bucket name: '${name}': ${why}`);
  };
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) bad('use lowercase letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
  const limit = name.includes('.') ? 222 : 63;
  if (name.length < 3 || name.length > limit) bad(`length must be 3 to ${limit} characters`);
  if (name.split('.').some((part) => part.length === 0 || part.length > 63)) bad('each dot-separated component must be 1 to 63 characters');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) bad('it cannot be an IP address');
  if (name.startsWith('goog') || /g[o0][o0]gle/.test(name)) bad('it cannot begin with "goog" or contain "google"');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * GCS's object naming rules: 1 to 1024 bytes of valid UTF-8, no CR or LF, not `.` or `..`, not under
 * `.well-known/acme-challenge/`. Any other string is a valid name, so names never become paths:
 * the store keys files by a hash of the name.
 */
export function validateObjectName(name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > 1024) throw invalid(`The object name must be 1 to 1024 bytes of UTF-8 (got ${bytes}).`);
  if (LONE_SURROGATE.test(name)) throw invalid('The object name is not valid UTF-8.');
  if (/[\r\n]/.test(name)) throw invalid('The object name cannot contain carriage return or line feed characters.');
  if (name === '.' || name === '..') throw invalid(`The object name cannot be '${name}'.`);
  if (name.startsWith('.well-known/acme-challenge/')) throw invalid('The object name cannot begin with .well-known/acme-challenge/.');
}
