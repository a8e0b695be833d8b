// The DAG judgment against a reference model: random graphs of stages, with cycles and inputs that
// name stages the pipeline lacks. The judgment accepts exactly the graphs whose every input exists
// and whose transitive closure leaves no stage reaching itself; its order respects every edge, and
// the cycle it names is one.
import { expect } from "chai";
import fc from "fast-check";
import { judgePipelineGraph, type PipelineStage } from "../../../../src/wire/pipelines/index.ts";

type Graph = { size: number; edges: [child: number, parent: number][] };

const stageName = (index: number) => `s${index}`;

function stagesOf(graph: Graph): PipelineStage[] {
  return Array.from({ length: graph.size }, (_, index) => ({
    id: stageName(index),
    app: "1",
    inputs: [...new Set(graph.edges.filter(([child]) => child === index).map(([, parent]) => parent))].map((parent) => ({ stage: stageName(parent) })),
    category: "0",
    prices: { app: "0", dataset: "0", workerpool: "0" },
  }));
}

/** The reference: every input names a stage, and no stage reaches itself in the transitive closure (Floyd–Warshall). */
function referenceAccepts(graph: Graph): boolean {
  if (graph.edges.some(([, parent]) => parent >= graph.size)) return false;
  const reach = Array.from({ length: graph.size }, () => new Array<boolean>(graph.size).fill(false));
  for (const [child, parent] of graph.edges) reach[parent]![child] = true;
  for (let k = 0; k < graph.size; k++) {
    for (let i = 0; i < graph.size; i++) {
      if (!reach[i]![k]) continue;
      for (let j = 0; j < graph.size; j++) if (reach[k]![j]) reach[i]![j] = true;
    }
  }
  return reach.every((row, index) => !row[index]);
}

/** Any graph: parents drawn among the stages and two ids past them (inputs that dangle). */
const anyGraph = fc.integer({ min: 1, max: 8 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    edges: fc.array(fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size + 1 })), { maxLength: 14 }),
  }),
);

/** A DAG by construction (parents before children in a shuffled numbering), then maybe one back edge. */
const dagMaybeClosed = fc.integer({ min: 1, max: 8 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    forward: fc.array(fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 })), { maxLength: 12 }),
    permutation: fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
    backEdge: fc.option(fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 })), { nil: undefined }),
  }).map(({ size, forward, permutation, backEdge }) => {
    const edges: [number, number][] = forward
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => [permutation[Math.max(a, b)]!, permutation[Math.min(a, b)]!]);
    if (backEdge !== undefined) edges.push([permutation[Math.min(...backEdge)]!, permutation[Math.max(...backEdge)]!]);
    return { size, edges };
  }),
);

describe("judgePipelineGraph (property)", function () {
  this.timeout(60_000);

  for (const [name, graphs] of [["any graph", anyGraph], ["DAGs with at most one back edge", dagMaybeClosed]] as const) {
    it(`accepts exactly the acyclic graphs without dangling inputs: ${name}`, function () {
      fc.assert(
        fc.property(graphs, (graph) => {
          const judged = judgePipelineGraph({ stages: stagesOf(graph) });
          expect(judged.ok, JSON.stringify(graph)).to.equal(referenceAccepts(graph));
        }),
        { numRuns: 2000 },
      );
    });
  }

  it("returns an order holding every stage once, each after every stage it reads, and finals no stage reads", function () {
    fc.assert(
      fc.property(dagMaybeClosed, (graph) => {
        const judged = judgePipelineGraph({ stages: stagesOf(graph) });
        fc.pre(judged.ok);
        if (!judged.ok) return;
        const { order, finals } = judged.graph;
        expect([...order].sort()).to.deep.equal(Array.from({ length: graph.size }, (_, i) => stageName(i)).sort());
        for (const [child, parent] of graph.edges) expect(order.indexOf(stageName(parent))).to.be.below(order.indexOf(stageName(child)));
        const read = new Set(graph.edges.map(([, parent]) => stageName(parent)));
        expect(finals.length).to.be.greaterThan(0);
        expect(new Set(finals)).to.deep.equal(new Set(order.filter((id) => !read.has(id))));
      }),
      { numRuns: 2000 },
    );
  });

  it("names a cycle whose every step is an edge of the graph", function () {
    fc.assert(
      fc.property(anyGraph, (graph) => {
        fc.pre(graph.edges.every(([, parent]) => parent < graph.size) && !referenceAccepts(graph));
        const judged = judgePipelineGraph({ stages: stagesOf(graph) });
        expect(judged.ok).to.equal(false);
        if (judged.ok) return;
        const cycle = judged.problems.find((problem) => problem.code === "PIPELINE_CYCLE");
        expect(cycle, JSON.stringify(judged.problems)).to.not.equal(undefined);
        const stages = cycle!.stages;
        const edges = new Set(graph.edges.map(([child, parent]) => `${stageName(parent)}>${stageName(child)}`));
        stages.forEach((from, i) => expect(edges.has(`${from}>${stages[(i + 1) % stages.length]}`), `${from} -> ${stages[(i + 1) % stages.length]}`).to.equal(true));
      }),
      { numRuns: 2000 },
    );
  });
});
