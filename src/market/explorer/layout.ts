// The frame of every explorer page: document head, the one inline stylesheet, navigation, and
// the headers that keep the page inert (no script may run, nothing loads from elsewhere).
import { createHash } from "node:crypto";
import type { Response } from "express";
import { EXPLORER_PATH } from "./format.ts";
import { html, SafeHtml, type HtmlValue } from "./html.ts";

// No quotes, ampersands or angle brackets: the stylesheet is a constant trusted as markup.
const STYLESHEET = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
header { background: #1f3a5f; color: #fff; padding: 0.6rem 1.2rem; display: flex; gap: 1.5rem; align-items: baseline; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 1rem 1.2rem 3rem; max-width: 80rem; overflow-x: auto; }
h1 { font-size: 1.35rem; margin: 0.4rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 0.5rem; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #dde1e6; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; white-space: nowrap; }
table.facts th { width: 14rem; }
code { font: 13px/1.4 ui-monospace, monospace; white-space: nowrap; }
code.clipped .head { display: inline-block; vertical-align: bottom; max-width: calc(11ch + 1px); overflow: hidden; text-overflow: ellipsis; }
a code.clipped .head { text-decoration: underline; }
time { white-space: nowrap; }
code.params { white-space: pre-wrap; overflow-wrap: anywhere; }
.amount { font-variant-numeric: tabular-nums; white-space: nowrap; }
.unit { color: #6b7480; }
.proof { white-space: nowrap; }
.muted { color: #6b7480; }
.status { padding: 0 0.4rem; border-radius: 0.3rem; background: #e4e8ed; }
.status-completed, .status-settled { background: #d5f0dc; } .status-claimed, .status-cancelled, .status-failed { background: #f7dada; }
.failure { white-space: nowrap; }
.status-pending, .status-open, .status-running, .status-matched { background: #fdf0cc; }
.status-published { background: #dbe7f7; } .status-dropped { background: #efe3f5; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: end; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: 0.85rem; }
nav.pages { margin: 0.8rem 0; display: flex; gap: 1.2rem; }
.error { background: #fff; border-left: 4px solid #b3261e; padding: 0.8rem 1rem; }
`;
const STYLESHEET_HASH = createHash("sha256").update(STYLESHEET).digest("base64");

/** Only this page's stylesheet may apply; no script, image, frame or foreign form target. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLESHEET_HASH}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

function documentOf(title: string, body: HtmlValue): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Continuum explorer</title>
<style>${new SafeHtml(STYLESHEET)}</style>
</head>
<body>
<header><a href="${EXPLORER_PATH}">Continuum explorer</a><span>deals, tasks, payments and reputation as the chain recorded them</span></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Sends a complete page as UTF-8 HTML with the explorer's security headers. */
export function sendPage(res: Response, status: number, title: string, body: HtmlValue): void {
  res
    .status(status)
    .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    .set("X-Content-Type-Options", "nosniff")
    .type("html")
    .send(documentOf(title, body).toString());
}
