// How the explorer shows chain values to people: token amounts in units of 18 decimals (raw
// value kept in the title), unix times as UTC dates, and links to the explorer's own pages.
import { formatUnits } from "ethers";
import { html, type SafeHtml } from "./html.ts";

export const TOKEN_DECIMALS = 18;
export const EXPLORER_PATH = "/explorer";

/** "1234.5" for 1234500000000000000000 base units; digits grouped by thousands. */
export function tokenUnits(raw: string): string {
  const [whole, fraction] = formatUnits(BigInt(raw), TOKEN_DECIMALS).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined || fraction === "0" ? grouped : `${grouped}.${fraction}`;
}

/** An amount in token units, its exact base-unit value in the title. */
export function amount(raw: string): SafeHtml {
  return html`<span class="amount" title="${raw} base units">${tokenUnits(raw)}</span>`;
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

/** "0x1234…abcd" for a long hex value; the full value stays in the title. */
export function shortHex(value: string): SafeHtml {
  const short = value.length > 18 ? `${value.slice(0, 10)}…${value.slice(-6)}` : value;
  return html`<code title="${value}">${short}</code>`;
}

/** A path under the explorer with a query; empty and undefined parameters are left out. */
export function explorerHref(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(name, value);
  const text = search.toString();
  return `${EXPLORER_PATH}${path}${text === "" ? "" : `?${text}`}`;
}

export function dealLink(dealId: string): SafeHtml {
  return html`<a href="${explorerHref(`/deals/${encodeURIComponent(dealId)}`)}">${shortHex(dealId)}</a>`;
}

export function accountLink(address: string | null): SafeHtml {
  if (address === null) return html`<span class="muted">—</span>`;
  return html`<a href="${explorerHref(`/accounts/${encodeURIComponent(address)}`)}">${shortHex(address)}</a>`;
}

export function workerpoolLink(workerpool: string): SafeHtml {
  return html`<a href="${explorerHref(`/workerpools/${encodeURIComponent(workerpool)}`)}">#${workerpool}</a>`;
}

export function requestLink(hash: string): SafeHtml {
  return html`<a href="${explorerHref(`/requests/${encodeURIComponent(hash)}`)}">${shortHex(hash)}</a>`;
}
