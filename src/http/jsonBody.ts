// Reads the JSON body of POST, PUT and PATCH requests under the shell's rules: JSON media type,
// UTF-8 only, a size limit, gzip / deflate / br / zstd decoded; every way a body can be wrong becomes
// one of the shell's typed 4xx refusals, never a 500. Bodies of other methods are not read.
import express, { type NextFunction, type Request, type Response } from "express";
import type { ApiError } from "./ApiError.ts";
import { shellError } from "./shellErrors.ts";

export type JsonBodyOptions = {
  /** Largest accepted body once decoded; larger ones get 413 BODY_TOO_LARGE. */
  limitBytes: number;
  /** Keep the body's raw bytes as `req.rawBody` (for request signatures over the exact bytes). */
  keepRawBody?: boolean;
};

/** A request whose raw body was kept (see JsonBodyOptions.keepRawBody). */
export type RawBodyRequest = Request & { rawBody?: Buffer };

const JSON_MEDIA_TYPES = ["application/json", "application/*+json"];
/** The methods whose bodies the shell reads; others are served without reading theirs. */
export const BODY_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/** JSON is UTF-8 (RFC 8259): a body in another media type or charset would be misread, so it is refused. */
function mediaTypeRefusal(req: Request): ApiError | undefined {
  const contentType = req.headers["content-type"] ?? null;
  if (!req.is(JSON_MEDIA_TYPES)) {
    return shellError("UNSUPPORTED_MEDIA_TYPE", "send the body as JSON with Content-Type: application/json", { contentType });
  }
  const charset = CHARSET.exec(contentType ?? "")?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8") {
    return shellError("UNSUPPORTED_MEDIA_TYPE", `JSON bodies are UTF-8; charset=${charset} is not accepted`, { contentType });
  }
  return undefined;
}

/** What express's body parser reports, by its `type`, as the shell's own refusal; undefined for a server fault. */
function bodyRefusal(error: unknown, req: Request, limitBytes: number): ApiError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const contentEncoding = req.headers["content-encoding"] ?? null;
  switch ((error as { type?: unknown }).type) {
    case "entity.too.large":
      return shellError("BODY_TOO_LARGE", `request body is larger than ${limitBytes} bytes`, { limitBytes });
    case "entity.parse.failed":
      return shellError("MALFORMED_JSON", "request body is not valid JSON");
    case "encoding.unsupported":
      return shellError("UNSUPPORTED_MEDIA_TYPE", "unsupported Content-Encoding; send the body as identity, gzip, deflate, br or zstd", { contentEncoding });
    case "charset.unsupported":
      return shellError("UNSUPPORTED_MEDIA_TYPE", "JSON bodies are UTF-8", { contentType: req.headers["content-type"] ?? null });
    case "request.aborted":
    case "request.size.invalid":
      return shellError("BAD_REQUEST", "the request body ended before its announced length");
  }
  // A decompression stream that fails (bad gzip header, truncated deflate) reaches us as a plain 4xx error without a type.
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return shellError("MALFORMED_BODY", `the body cannot be decoded as Content-Encoding ${contentEncoding ?? "identity"}`, { contentEncoding });
  }
  return undefined;
}

export function jsonBody(options: JsonBodyOptions) {
  const { limitBytes } = options;
  const parse = express.json({
    limit: limitBytes,
    type: JSON_MEDIA_TYPES,
    ...(options.keepRawBody ? { verify: (req: RawBodyRequest, _res: Response, buffer: Buffer) => void (req.rawBody = Buffer.from(buffer)) } : {}),
  });
  return function readJsonBody(req: Request, res: Response, next: NextFunction): void {
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) {
      next();
      return;
    }
    const refusal = mediaTypeRefusal(req);
    if (refusal) {
      next(refusal);
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (error === undefined) next();
      else next(bodyRefusal(error, req, limitBytes) ?? error);
    });
  };
}
