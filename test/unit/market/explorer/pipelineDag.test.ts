// Specification of the pipeline DAG drawing: columns by depth, every edge left to right, no two
// boxes overlapping, stage names escaped, and a drawing a browser renders with the state colours.
import { existsSync } from "node:fs";
import { expect } from "chai";
import fc from "fast-check";
import { chromium } from "playwright-core";
import { BOX_HEIGHT, BOX_WIDTH, layoutDag, pipelineDagSvg, stageFill, type DagStage } from "../../../../src/market/explorer/pipelineDag.ts";
import { decodePng, rgbOf, sameColour } from "../../../helpers/pngPixels.ts";

const fanIn: DagStage[] = [
  { id: "join", parents: ["clean-air", "clean-traffic"], state: "matched" },
  { id: "clean-air", parents: [], state: "completed", href: "/explorer/deals/0x01", caption: "deal 0x01 #0" },
  { id: "clean-traffic", parents: [], state: "completed" },
  { id: "per-district", parents: ["join"], state: "waiting" },
];

/** Random DAGs: stage i may only consume stages before it, so every generated graph is acyclic. */
const dags = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc.tuple(...Array.from({ length: size }, (_, index) => fc.subarray(Array.from({ length: index }, (__, parent) => parent)))).map((parentLists) =>
    parentLists.map((parents, index) => ({ id: `s${index}`, parents: parents.map((parent) => `s${parent}`), state: "waiting" })),
  ),
);

describe("pipeline DAG drawing", function () {
  it("puts each stage one column right of its deepest parent", function () {
    const columns = Object.fromEntries(layoutDag(fanIn).stages.map((stage) => [stage.id, stage.column]));
    expect(columns).to.deep.equal({ "clean-air": 0, "clean-traffic": 0, join: 1, "per-district": 2 });
  });

  it("draws every edge left to right and never overlaps two boxes (random DAGs)", function () {
    fc.assert(
      fc.property(dags, (stages) => {
        const placed = new Map(layoutDag(stages).stages.map((stage) => [stage.id, stage]));
        expect(placed.size).to.equal(stages.length);
        for (const stage of stages) {
          for (const parent of stage.parents) expect(placed.get(parent)!.x + BOX_WIDTH).to.be.below(placed.get(stage.id)!.x);
        }
        const boxes = [...placed.values()];
        for (const [i, a] of boxes.entries()) {
          for (const b of boxes.slice(i + 1)) {
            const apart = a.x + BOX_WIDTH <= b.x || b.x + BOX_WIDTH <= a.x || a.y + BOX_HEIGHT <= b.y || b.y + BOX_HEIGHT <= a.y;
            expect(apart, `${a.id} and ${b.id} overlap`).to.equal(true);
          }
        }
      }),
    );
  });

  it("refuses a cycle by name instead of looping", function () {
    expect(() => layoutDag([{ id: "a", parents: ["b"], state: "waiting" }, { id: "b", parents: ["a"], state: "waiting" }])).to.throw(/cycle/);
  });

  it("escapes stage names and links stages that have a deal", function () {
    const svg = pipelineDagSvg([{ id: `<script>"x"`, parents: [], state: "failed", href: "/explorer/deals/0x02" }]).toString();
    expect(svg).not.to.contain("<script>");
    expect(svg).to.contain("&lt;script&gt;&quot;x&quot;");
    expect(svg).to.contain(`<a href="/explorer/deals/0x02">`);
    expect(svg).not.to.match(/ style=/);
  });

  it("renders in Chromium with each box filled by its state's colour", async function () {
    const CHROMIUM = "/usr/bin/chromium";
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does)`);
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const tab = await browser.newPage({ viewport: { width: 900, height: 400 }, deviceScaleFactor: 1 });
      await tab.setContent(`<!doctype html><body style="margin:0">${pipelineDagSvg(fanIn).toString()}</body>`);
      const shot = decodePng(await tab.locator("svg.pipeline-dag").screenshot());
      for (const stage of layoutDag(fanIn).stages) {
        // A point inside the box, right of the text and above the caption line.
        const pixel = shot.at(stage.x + BOX_WIDTH - 12, stage.y + 8);
        expect(sameColour(pixel, rgbOf(stageFill(stage.state))), `${stage.id} drawn ${pixel} for ${stage.state}`).to.equal(true);
      }
    } finally {
      await browser.close();
    }
  });
});
