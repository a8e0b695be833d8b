// Answers what Node refuses before express sees a request (headers too large, timeouts, bytes
// that are not HTTP) in the one error format instead of Node's bare status line. Node hands these
// over as `clientError` events with the raw socket: the answer is written there, then it closes.
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "../core/logger.ts";
import { SHELL_ERROR_STATUS, type ShellErrorCode } from "./shellErrors.ts";

type Refusal = { code: ShellErrorCode; message: string; details: Record<string, unknown> };

function refusalOf(error: NodeJS.ErrnoException, maxHeaderBytes: number): Refusal | undefined {
  if (error.code === "HPE_HEADER_OVERFLOW") {
    return { code: "HEADERS_TOO_LARGE", message: `the request line and headers exceed ${maxHeaderBytes} bytes`, details: { limitBytes: maxHeaderBytes } };
  }
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return { code: "REQUEST_TIMEOUT", message: "the request was not received in time; send headers and body without pausing", details: {} };
  }
  if (error.code?.startsWith("HPE_")) return { code: "BAD_REQUEST", message: "the request is not valid HTTP/1.1", details: { parser: error.code } };
  // A reset or an aborted socket: nobody is left to answer.
  return undefined;
}

/** The whole HTTP/1.1 response to write on the socket, closing the connection. */
export function rawErrorResponse(refusal: Refusal): string {
  const status = SHELL_ERROR_STATUS[refusal.code];
  const body = JSON.stringify({ error: refusal });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    "Content-Type: application/json; charset=utf-8\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    "Connection: close\r\n\r\n" +
    body
  );
}

/**
 * Installs the answer on `server`. Where Node allows it, the client gets the error body; where it
 * does not (the socket is gone, or a response on it already sent its headers, so new bytes would
 * corrupt it), the connection is closed without one, as Node itself does.
 */
export function answerClientErrors(server: Server, options: { maxHeaderBytes: number; logger: Logger }): void {
  const inFlight = new WeakMap<Duplex, ServerResponse>();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(req.socket, res);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const refusal = refusalOf(error, options.maxHeaderBytes);
    const response = inFlight.get(socket);
    const started = response !== undefined && response.headersSent && !response.writableFinished;
    if (refusal === undefined || !socket.writable || started) {
      socket.destroy();
      return;
    }
    options.logger.debug({ code: refusal.code, parser: error.code }, "request refused before routing");
    socket.end(rawErrorResponse(refusal));
  });
}
