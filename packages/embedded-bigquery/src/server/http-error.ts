/**
 * An error the HTTP layer itself raises (refused requests, limits, job outcomes), with the HTTP
 * status and BigQuery reason it is answered with. Engine errors stay BigQueryApiError, whose
 * reasons and statuses the engine owns; these are the server's own.
 */
export class HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly reason: string,
    message: string,
    readonly location?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The HTTP status BigQuery answers a job's error reason with (getQueryResults of a failed job). */
export function statusOfReason(reason: string): number {
  switch (reason) {
    case 'notFound':
      return 404;
    case 'duplicate':
      return 409;
    case 'accessDenied':
      return 403;
    case 'internalError':
    case 'backendError':
      return 500;
    default:
      return 400;
  }
}
