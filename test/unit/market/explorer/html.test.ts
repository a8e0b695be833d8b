// Specification of the explorer's markup template and token formatting: every interpolated value
// is escaped once, markup built by the template is kept, and amounts read in 18-decimal units.
import { expect } from "chai";
import { html, SafeHtml, tokenUnits } from "../../../../src/market/explorer/index.ts";

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

describe("tokenUnits", function () {
  it("shows base units as tokens of 18 decimals, whole part grouped by thousands", function () {
    expect(tokenUnits("0")).to.equal("0");
    expect(tokenUnits("1")).to.equal("0.000000000000000001");
    expect(tokenUnits("1500000000000000000")).to.equal("1.5");
    expect(tokenUnits("1000000000000000000000000")).to.equal("1,000,000");
    expect(tokenUnits("1234567000000000000000001")).to.equal("1,234,567.000000000000000001");
  });
});
