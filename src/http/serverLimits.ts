// How long a server waits for a request and how large its head may be: the `http` section of the
// configuration, with defaults that keep a slow or bloated client from holding a connection for long.

export type HttpServerLimits = {
  /** Longest wait for a request's complete headers; slower ones get 408 REQUEST_TIMEOUT. */
  headersTimeoutMs: number;
  /** Longest wait for a complete request, headers and body; slower ones get 408 REQUEST_TIMEOUT. */
  requestTimeoutMs: number;
  /** Largest request line plus headers in bytes; larger ones get 431 HEADERS_TOO_LARGE. */
  maxHeaderBytes: number;
};

export const DEFAULT_HTTP_LIMITS: HttpServerLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxHeaderBytes: 16_384,
});
