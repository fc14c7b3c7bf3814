/**
 * Errors as RFC 9457 problem details. Every error a client sees is one of these: a status, a title,
 * a sentence for people and, for a bad parameter, its name. Nothing else (no stack, no SQL) leaves.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request parameter at fault, for 400s. */
  parameter?: string;
  instance?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Warehouse error',
  503: 'Not ready',
};

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toProblem(instance?: string): Problem {
    return problem(this.status, this.message, this.parameter, instance);
  }
}

export function problem(status: number, detail: string, parameter?: string, instance?: string): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(parameter !== undefined ? { parameter } : {}),
    ...(instance !== undefined ? { instance } : {}),
  };
}

export const badParameter = (parameter: string, detail: string): ProblemError => new ProblemError(400, detail, parameter);

/** The JSON schema of a problem body, shared by every route's error responses in the OpenAPI document. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    parameter: { type: 'string', description: 'The request parameter at fault (400 only).' },
    instance: { type: 'string', description: 'The request id, to quote when asking about this error.' },
  },
} as const;
