// The autoscale benchmark's picture: a standalone SVG whose two lines follow the samples, workers
// drawn as steps on the right axis and waiting tasks on the left.
import { expect } from "chai";
import { timelineSvg, type TimelinePoint } from "../../../scripts/bench/autoscale/autoscaleSvg.ts";

const POINTS: TimelinePoint[] = [
  { seconds: 0, workers: 1, waiting: 0, running: 0 },
  { seconds: 1, workers: 4, waiting: 20, running: 1 },
  { seconds: 5, workers: 8, waiting: 10, running: 8 },
  { seconds: 10, workers: 1, waiting: 0, running: 0 },
];

function polylines(svg: string): { stroke: string; points: [number, number][] }[] {
  return [...svg.matchAll(/<polyline fill="none" stroke="(#[0-9a-f]{6})"[^>]* points="([^"]*)"\/>/g)].map((match) => ({
    stroke: match[1]!,
    points: match[2]!.split(" ").map((pair) => pair.split(",").map(Number) as [number, number]),
  }));
}

describe("timelineSvg", function () {
  it("draws one point per sample for the queue and a step per change for the workers", function () {
    const svg = timelineSvg(POINTS, { min: 1, max: 8 }, "burst <40>");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
    expect(svg).to.include("<title>burst &lt;40&gt;</title>");
    const [queue, workers] = polylines(svg);
    expect(queue!.points).to.have.length(POINTS.length);
    expect(workers!.points).to.have.length(POINTS.length * 2 - 1);
    // The queue's highest point is its largest value; the workers' top is max on the right axis.
    const top = Math.min(...queue!.points.map(([, y]) => y));
    expect(queue!.points[1]![1]).to.equal(top);
    expect(workers!.points[4]![1], "8 workers at the top of the plot").to.equal(top);
    // Time runs left to right.
    const xs = queue!.points.map(([x]) => x);
    expect([...xs].sort((a, b) => a - b)).to.deep.equal(xs);
  });

  it("draws an empty timeline without dividing by zero", function () {
    const svg = timelineSvg([], { min: 1, max: 8 }, "nothing");
    expect(svg).to.not.include("NaN");
    expect(svg).to.not.include("Infinity");
  });
});
