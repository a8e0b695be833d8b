// Specification of the explorer's markup template and of how it shows values: every interpolated
// value is escaped once, markup built by the template is kept; amounts carry their unit, hashes stay
// whole in the page, and proofs say which block and which transaction.
import { expect } from "chai";
import { amount, hash, html, proof, SafeHtml } from "../../../../src/market/explorer/index.ts";

describe("explorer html template", function () {
  it("escapes the five characters that can open markup or leave an attribute", function () {
    const text = `<a href="x" onclick='y'>&amp;</a>`;
    expect(html`<p title="${text}">${text}</p>`.toString()).to.equal(
      `<p title="&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;">&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;</p>`,
    );
  });

  it("keeps markup the template built, escaping its own values exactly once", function () {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}</p>`.toString()).to.equal("<p><b>&lt;i&gt;</b></p>");
    expect(html`${html`${html`${"&"}`}`}`.toString()).to.equal("&amp;");
  });

  it("renders lists item by item and nothing for null, undefined and false", function () {
    expect(html`<ul>${["<1>", html`<li>2</li>`, [3n, 4]]}</ul>`.toString()).to.equal("<ul>&lt;1&gt;<li>2</li>34</ul>");
    expect(html`[${null}${undefined}${false}]`.toString()).to.equal("[]");
    expect(html`${true} ${0}`.toString()).to.equal("true 0");
  });

  it("treats a plain object's string form as text, never as markup", function () {
    const forged = { toString: () => "<script>" } as unknown as string;
    expect(html`${forged}`.toString()).to.equal("&lt;script&gt;");
    expect(html`${forged}`).to.be.instanceOf(SafeHtml);
  });
});

const CTD = { symbol: "CTD", decimals: 18 };
const TX = "0x9f2c4b7a1e0d3c5b8a6f4e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a1f0e9";

describe("explorer values", function () {
  it("shows an amount in whole tokens with the token's symbol, the base units in the title", function () {
    expect(amount(CTD, "1500000000000000000").toString()).to.equal(
      `<span class="amount" title="1500000000000000000 base units">1.5 <span class="unit">CTD</span></span>`,
    );
    expect(amount({ symbol: "USDC", decimals: 6 }, "1234567000000").toString()).to.contain(`1,234,567 <span class="unit">USDC</span>`);
  });

  it("keeps a whole hash in the page: in the title and as the text a selection copies, the head clipped only by the stylesheet", function () {
    const markup = hash(TX).toString();
    expect(markup).to.equal(`<code class="hash clipped" title="${TX}"><span class="head">${TX.slice(0, -6)}</span><span class="tail">${TX.slice(-6)}</span></code>`);
    expect(markup.replace(/<[^>]*>/g, ""), "the text content").to.equal(TX);
    expect(hash("0x1234").toString()).to.equal(`<code class="hash" title="0x1234">0x1234</code>`);
    expect(hash("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "cid").toString()).to.match(/^<code class="cid clipped" title="bafy/);
  });

  it("labels a proof as block and transaction, the block's time in its title", function () {
    const proven = { blockNumber: 42, blockTime: "2026-01-31T12:00:00.000Z", transactionHash: TX };
    expect(proof({ token: CTD }, proven).toString()).to.equal(
      `<span class="proof">block <span class="proof-block" title="2026-01-31T12:00:00.000Z">42</span>, tx ${hash(TX)}</span>`,
    );
    const linked = proof({ token: CTD, chainExplorerUrl: "https://scan.example" }, proven).toString();
    expect(linked).to.contain(`block <a href="https://scan.example/block/42"><span class="proof-block"`);
    expect(linked).to.contain(`, tx <a href="https://scan.example/tx/${TX}">${hash(TX)}</a>`);
  });
});
