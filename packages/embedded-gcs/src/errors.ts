/** An error GCS's JSON API would return: HTTP status, `reason` and message, as clients read them. */
export class GcsApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    /** Where the problem is (GCS fills `location` for preconditions: `If-Match`). */
    readonly location?: string,
  ) {
    super(message);
    this.name = 'GcsApiError';
  }
}

export const invalid = (message: string): GcsApiError => new GcsApiError(400, 'invalid', message);

export const notFound = (message: string): GcsApiError => new GcsApiError(404, 'notFound', message);

export const noSuchBucket = (): GcsApiError => notFound('The specified bucket does not exist.');

export const noSuchObject = (bucket: string, name: string): GcsApiError => notFound(`No such object: ${bucket}/${name}`);

export const conditionNotMet = (location: string): GcsApiError =>
  new GcsApiError(412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.', location);
