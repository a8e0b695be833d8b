// GET /explorer/accounts/:address: an escrow account's balance and locked funds, and every
// movement to or from it, newest first.
import type { Request, Response } from "express";
import type { Ledger } from "../../persistence/ledger/index.ts";
import { notFound } from "../../http/ApiError.ts";
import { parseAddress, paymentPage } from "../routes/auditQuery.ts";
import { facts, pageLinks, paymentsTable, proof, type ExplorerView } from "./components.ts";
import { allowOnly, formQuery, queryText } from "./explorerQuery.ts";
import { amount, explorerHref, isoTime } from "./format.ts";
import { html } from "./html.ts";
import { sendPage } from "./layout.ts";

export async function renderAccountPage(ledger: Ledger, view: ExplorerView, req: Request, res: Response): Promise<void> {
  const address = parseAddress(req.params.address);
  const query = formQuery(req);
  allowOnly(query, ["limit", "cursor"]);
  const page = paymentPage(query);
  const account = await ledger.escrowAccount(address);
  if (!account) {
    throw notFound(
      "ACCOUNT_NOT_FOUND",
      `the ledger holds no escrow movement of ${address}: it never deposited or received funds, as far as the indexer has read`,
      { address },
    );
  }
  const payments = await ledger.payments({ address: account.address }, page);
  sendPage(
    res,
    200,
    `Account ${account.address}`,
    html`<h1>Account <code>${account.address}</code></h1>
${facts([
  ["Escrow balance", amount(view.token, account.balance)],
  ["Locked", amount(view.token, account.locked)],
  ["Last change", html`${isoTime(account.blockTime)}, ${proof(view, account)}`],
])}
<p><a href="${explorerHref("", { address: account.address })}">deals this address took part in</a></p>
<h2 id="payments">Payments to and from this account</h2>
${paymentsTable(view, payments.items)}
${pageLinks(`/accounts/${account.address}`, queryText(query), "cursor", payments.nextCursor)}`,
  );
}
