// Typed errors the use cases throw for anything the caller can fix. The HTTP layer (api/) turns
// an ApiError into `{ "error": { code, message, details? } }` with its status; anything else
// thrown is a bug: a 500 with code `internal`, logged (DESIGN.md, "API": a 5xx is always a bug).

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (Allow for a 405, WWW-Authenticate for a 401). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined && { details: this.details }) } };
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export const badRequest = (message: string, details?: unknown, code = 'bad_request') => new ApiError(400, code, message, details);

export const unauthorized = (message: string, details?: unknown, code = 'unauthorized') =>
  new ApiError(401, code, message, details, { 'www-authenticate': 'Bearer realm="course"' });

export const forbidden = (message: string, details?: unknown, code = 'forbidden') => new ApiError(403, code, message, details);

export const notFound = (message: string, details?: unknown, code = 'not_found') => new ApiError(404, code, message, details);

export const methodNotAllowed = (method: string, allowed: string[]) =>
  new ApiError(405, 'method_not_allowed', `${method} is not allowed here; allowed: ${allowed.join(', ')}`, undefined, {
    allow: allowed.join(', '),
  });

export const conflict = (message: string, details?: unknown, code = 'conflict') => new ApiError(409, code, message, details);

export const payloadTooLarge = (limitBytes: number) =>
  new ApiError(413, 'payload_too_large', `the request body is larger than ${formatBytes(limitBytes)}; send a smaller body`);

export const unsupportedMediaType = (message: string, accepted: string[]) =>
  new ApiError(415, 'unsupported_media_type', message, { accepted });

export const unprocessable = (message: string, details?: unknown, code = 'unprocessable') => new ApiError(422, code, message, details);

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
