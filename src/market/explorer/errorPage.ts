// The explorer's answer to a failed request: an HTML page with the status and the same stable
// code as the JSON API, the client's mistake told plainly, a server fault told nothing.
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../../core/logger.ts";
import { ApiError } from "../../http/ApiError.ts";
import { toClientError } from "../../http/errorMiddleware.ts";
import { mergeErrorTables } from "../../http/shellErrors.ts";
import { MARKET_ERROR_STATUS } from "../http/marketErrors.ts";
import { explorerHref } from "./format.ts";
import { html } from "./html.ts";
import { sendPage } from "./layout.ts";

const PAGE_ERROR_STATUS = mergeErrorTables(MARKET_ERROR_STATUS);

function sendErrorPage(res: Response, error: ApiError): void {
  sendPage(
    res,
    error.status,
    `Error ${error.status}`,
    html`<h1>${error.status === 404 ? "Not found" : error.status >= 500 ? "Server error" : "Bad request"}</h1>
<div class="error"><p><code class="error-code">${error.code}</code></p><p class="error-message">${error.message}</p></div>
<p><a href="${explorerHref("")}">back to the deals</a></p>`,
  );
}

export function explorerErrorHandler(logger: Logger) {
  return function renderError(error: unknown, req: Request, res: Response, next: NextFunction): void {
    if (res.headersSent) {
      next(error);
      return;
    }
    // Pages parse their parameters as the API does, so they refuse with the API's codes and statuses.
    const clientError = toClientError(error, PAGE_ERROR_STATUS);
    if (clientError) {
      sendErrorPage(res, clientError);
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, "unexpected error while rendering an explorer page");
    sendErrorPage(res, new ApiError(500, "INTERNAL_ERROR", "internal error; the server logged it"));
  };
}
