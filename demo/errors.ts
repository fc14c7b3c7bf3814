/**
 * A failure explained for a person: the message names what failed and what to do, and `exitCode`
 * says whose problem it is (2: configuration or readiness, which the person fixes; 1: the run failed).
 */
export class DemoError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DemoError';
  }
}
