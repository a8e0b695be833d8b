// The auditor's explorer web pages: the router to mount at EXPLORER_PATH and the escaping
// template they are built with.
export { createExplorerRouter, explorerPages, type ExplorerOptions } from "./createExplorerRouter.ts";
export { EXPLORER_PATH, amount, hash } from "./format.ts";
export { proof, type ExplorerView } from "./components.ts";
export { html, escapeHtml, SafeHtml, type HtmlValue } from "./html.ts";
