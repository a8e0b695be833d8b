// Judges a pipeline document's DAG before anything is signed or paid: every stage input names a
// stage of the document, ids are distinct, a stage reads at most one dataset and no input twice,
// and no stage waits on itself through a cycle (which would leave it, and all after it, never ready).
import { stageDatasets, stageParents, type PipelineDocument } from "./pipelineDocument.ts";

export type PipelineProblemCode =
  | "DUPLICATE_STAGE"
  | "UNKNOWN_STAGE_INPUT"
  | "DUPLICATE_INPUT"
  | "TOO_MANY_DATASETS"
  | "PIPELINE_CYCLE"
  | "NEVER_READY";

export type PipelineProblem = { code: PipelineProblemCode; message: string; stages: string[] };

/** A valid pipeline's shape: the stages in an order that runs every parent before its children. */
export type PipelineGraph = {
  /** Stage ids, each after every stage it reads. */
  order: string[];
  /** Stages no other stage reads: their outputs go to the requester. */
  finals: string[];
  /** Each stage's parents (the stages whose outputs it reads), in input order. */
  parents: ReadonlyMap<string, readonly string[]>;
  /** Each stage's children (the stages that read its output), in document order. */
  children: ReadonlyMap<string, readonly string[]>;
};

export type GraphJudgment = { ok: true; graph: PipelineGraph } | { ok: false; problems: PipelineProblem[] };

/** Every problem of the document's DAG, or its topological order, final stages and edges. */
export function judgePipelineGraph(document: Pick<PipelineDocument, "stages">): GraphJudgment {
  const problems: PipelineProblem[] = [];
  const ids = new Set<string>();
  for (const stage of document.stages) {
    if (ids.has(stage.id)) problems.push({ code: "DUPLICATE_STAGE", message: `two stages are named ${stage.id}`, stages: [stage.id] });
    ids.add(stage.id);
  }
  const parents = new Map<string, string[]>();
  for (const stage of document.stages) {
    const named = stageParents(stage);
    for (const parent of named) {
      if (!ids.has(parent)) {
        problems.push({ code: "UNKNOWN_STAGE_INPUT", message: `stage ${stage.id} reads stage ${parent}, which the pipeline does not have`, stages: [stage.id, parent] });
      }
    }
    const datasets = stageDatasets(stage);
    if (new Set(named).size !== named.length || new Set(datasets).size !== datasets.length) {
      problems.push({ code: "DUPLICATE_INPUT", message: `stage ${stage.id} names one input twice`, stages: [stage.id] });
    }
    if (datasets.length > 1) {
      problems.push({ code: "TOO_MANY_DATASETS", message: `stage ${stage.id} reads ${datasets.length} datasets; a deal carries at most one`, stages: [stage.id] });
    }
    if (!parents.has(stage.id)) parents.set(stage.id, named.filter((parent) => ids.has(parent)));
  }
  if (problems.length > 0) return { ok: false, problems };

  const order = topologicalOrder(document.stages.map((stage) => stage.id), parents);
  if (order.length < ids.size) {
    const placed = new Set(order);
    const cycle = findCycle([...ids].filter((id) => !placed.has(id)), parents);
    const onCycle = new Set(cycle);
    const waiting = [...ids].filter((id) => !placed.has(id) && !onCycle.has(id));
    problems.push({ code: "PIPELINE_CYCLE", message: `stages wait on each other in a cycle: ${[...cycle, cycle[0]].join(" -> ")}`, stages: cycle });
    if (waiting.length > 0) {
      problems.push({ code: "NEVER_READY", message: `stages wait on a cycle and can never be ready: ${waiting.join(", ")}`, stages: waiting });
    }
    return { ok: false, problems };
  }
  const children = new Map<string, string[]>(document.stages.map((stage) => [stage.id, []]));
  for (const stage of document.stages) for (const parent of parents.get(stage.id)!) children.get(parent)!.push(stage.id);
  const finals = document.stages.filter((stage) => children.get(stage.id)!.length === 0).map((stage) => stage.id);
  return { ok: true, graph: { order, finals, parents, children } };
}

/** Kahn's algorithm, taking ready stages in document order; stages on or behind a cycle are left out. */
function topologicalOrder(ids: readonly string[], parents: ReadonlyMap<string, readonly string[]>): string[] {
  const waitingOn = new Map(ids.map((id) => [id, new Set(parents.get(id))]));
  const order: string[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const id of ids) {
      const waits = waitingOn.get(id);
      if (waits === undefined || waits.size > 0) continue;
      waitingOn.delete(id);
      order.push(id);
      for (const other of waitingOn.values()) other.delete(id);
      progressed = true;
    }
  }
  return order;
}

/**
 * One cycle among stages that could not be ordered. Each of them waits on another of them (or it
 * would have been ordered), so walking parents from any one of them must come back to a stage seen.
 */
function findCycle(unordered: readonly string[], parents: ReadonlyMap<string, readonly string[]>): string[] {
  const left = new Set(unordered);
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current = unordered[0]!;
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = parents.get(current)!.find((parent) => left.has(parent))!;
  }
  // The walk follows child -> parent; the cycle reads parent -> child, the way data flows.
  return path.slice(seen.get(current)).reverse();
}
