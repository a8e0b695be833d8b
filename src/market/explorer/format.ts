// How the explorer shows chain values to people: token amounts in whole tokens with the token's
// symbol (base units kept in the title), unix times as UTC dates, hashes short on screen but whole
// in the page, and links to the explorer's own pages.
import { tokenQuantity, type TokenUnit } from "../../core/tokenAmount.ts";
import { html, type SafeHtml } from "./html.ts";

export const EXPLORER_PATH = "/explorer";

/** Characters of a long hash shown after the ellipsis; the stylesheet shows ten before it. */
const HASH_TAIL = 6;

/** "1.5 CTD", the exact base-unit value in the title. */
export function amount(token: TokenUnit, raw: string): SafeHtml {
  return html`<span class="amount" title="${raw} base units">${tokenQuantity(raw, token.decimals)} <span class="unit">${token.symbol}</span></span>`;
}

/** A unix-seconds string (deal start, deadline) as an ISO date in UTC. */
export function unixTime(seconds: string): SafeHtml {
  const value = BigInt(seconds);
  // Dates beyond JavaScript's range (year 275760) are shown as the raw number.
  if (value > 8_640_000_000_000n) return html`<span title="unix seconds">${seconds}</span>`;
  return isoTime(new Date(Number(value) * 1_000).toISOString());
}

export function isoTime(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${iso.replace("T", " ").replace(/\.000Z$/, " UTC").replace(/Z$/, " UTC")}</time>`;
}

/**
 * A hash, address or CID on one line: on screen "0x12345678…abcdef" (the stylesheet clips the head),
 * in the page the whole value, both as the title and as the text a selection copies.
 */
export function hash(value: string, kind = "hash"): SafeHtml {
  if (value.length <= 18) return html`<code class="${kind}" title="${value}">${value}</code>`;
  const head = value.slice(0, -HASH_TAIL);
  const tail = value.slice(-HASH_TAIL);
  return html`<code class="${kind} clipped" title="${value}"><span class="head">${head}</span><span class="tail">${tail}</span></code>`;
}

/** A path under the explorer with a query; empty and undefined parameters are left out. */
export function explorerHref(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(name, value);
  const text = search.toString();
  return `${EXPLORER_PATH}${path}${text === "" ? "" : `?${text}`}`;
}

export function dealLink(dealId: string): SafeHtml {
  return html`<a href="${explorerHref(`/deals/${encodeURIComponent(dealId)}`)}">${hash(dealId)}</a>`;
}

export function accountLink(address: string | null): SafeHtml {
  if (address === null) return html`<span class="muted">—</span>`;
  return html`<a href="${explorerHref(`/accounts/${encodeURIComponent(address)}`)}">${hash(address)}</a>`;
}

export function workerpoolLink(workerpool: string): SafeHtml {
  return html`<a href="${explorerHref(`/workerpools/${encodeURIComponent(workerpool)}`)}">#${workerpool}</a>`;
}

export function requestLink(requestHash: string): SafeHtml {
  return html`<a href="${explorerHref(`/requests/${encodeURIComponent(requestHash)}`)}">${hash(requestHash)}</a>`;
}
