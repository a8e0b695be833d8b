// A pipeline's stages drawn as a DAG in inline SVG: one column per depth (a stage sits one column
// right of its deepest parent), boxes filled by the stage's state, arrows from producer to consumer.
// Only SVG presentation attributes are used, so the explorer's CSP (no inline style attributes,
// no script) holds; every stage name goes through `html` and is escaped.
import type { StageState } from "../../wire/marketApi/pipelineStatus.ts";
import { html, type SafeHtml } from "./html.ts";

/** What the drawing needs of one stage: its id, the stages it consumes, its state, an optional link. */
export interface DagStage {
  readonly id: string;
  readonly parents: readonly string[];
  readonly state: string;
  /** Where clicking the stage leads (its deal page), when it has one. */
  readonly href?: string;
  /** A second line under the id, e.g. "deal 0x12…ab #0". */
  readonly caption?: string;
}

/** Fill of a stage box by state; the palette of the explorer's status badges (a matched stage is running). */
export const STAGE_FILLS: Readonly<Record<StageState, string>> = {
  waiting: "#e4e8ed",
  published: "#dbe7f7",
  matched: "#fdf0cc",
  completed: "#d5f0dc",
  failed: "#f7dada",
  dropped: "#efe3f5",
};
const UNKNOWN_FILL = "#ffffff";

export const BOX_WIDTH = 180;
export const BOX_HEIGHT = 58;
const COLUMN_GAP = 70;
const ROW_GAP = 26;
const MARGIN = 12;
const LEGEND_HEIGHT = 34;

/** Where a stage's box sits, top-left corner in SVG user units. */
export interface PlacedStage extends DagStage {
  readonly column: number;
  readonly x: number;
  readonly y: number;
}

export interface DagLayout {
  readonly stages: readonly PlacedStage[];
  readonly width: number;
  readonly height: number;
}

/**
 * Columns by longest path from a source; rows inside a column ordered by the mean row of the
 * parents (then by id), which keeps most edges short and uncrossed in small pipelines. Parents
 * that name no stage of the list are ignored; the input is expected to be acyclic (the market
 * validates pipelines before storing them) and a cycle is reported rather than looped on.
 */
export function layoutDag(stages: readonly DagStage[]): DagLayout {
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) throw new Error(`the pipeline's stages form a cycle through "${id}"`);
    visiting.add(id);
    const parents = byId.get(id)!.parents.filter((parent) => byId.has(parent));
    const value = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(depthOf));
    visiting.delete(id);
    depth.set(id, value);
    return value;
  };
  for (const stage of stages) depthOf(stage.id);

  const columns: DagStage[][] = [];
  for (const stage of stages) (columns[depth.get(stage.id)!] ??= []).push(stage);
  const row = new Map<string, number>();
  const placed: PlacedStage[] = [];
  columns.forEach((column, index) => {
    const meanParentRow = (stage: DagStage): number => {
      const rows = stage.parents.filter((parent) => row.has(parent)).map((parent) => row.get(parent)!);
      return rows.length === 0 ? 0 : rows.reduce((sum, value) => sum + value, 0) / rows.length;
    };
    const ordered = [...column].sort((a, b) => meanParentRow(a) - meanParentRow(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    ordered.forEach((stage, position) => {
      row.set(stage.id, position);
      placed.push({
        ...stage,
        column: index,
        x: MARGIN + index * (BOX_WIDTH + COLUMN_GAP),
        y: MARGIN + position * (BOX_HEIGHT + ROW_GAP),
      });
    });
  });
  const tallest = Math.max(1, ...columns.map((column) => column.length));
  return {
    stages: placed,
    width: MARGIN * 2 + Math.max(1, columns.length) * BOX_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP,
    height: MARGIN * 2 + tallest * BOX_HEIGHT + (tallest - 1) * ROW_GAP + LEGEND_HEIGHT,
  };
}

/** Fill colour of a state (white for a state the palette does not know). */
export function stageFill(state: string): string {
  return (STAGE_FILLS as Readonly<Record<string, string>>)[state] ?? UNKNOWN_FILL;
}

function edgePath(from: PlacedStage, to: PlacedStage): string {
  const startX = from.x + BOX_WIDTH;
  const startY = from.y + BOX_HEIGHT / 2;
  const endX = to.x - 6;
  const endY = to.y + BOX_HEIGHT / 2;
  const bend = (endX - startX) / 2;
  return `M${startX},${startY} C${startX + bend},${startY} ${endX - bend},${endY} ${endX},${endY}`;
}

function stageBox(stage: PlacedStage): SafeHtml {
  const box = html`<g class="stage" data-stage="${stage.id}" data-state="${stage.state}">
<title>${stage.id}: ${stage.state}</title>
<rect x="${stage.x}" y="${stage.y}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="7" fill="${stageFill(stage.state)}" stroke="#5b6573" stroke-width="1.2"/>
<text x="${stage.x + 10}" y="${stage.y + 20}" font-size="14" font-weight="600" fill="#1d232a">${clip(stage.id, 20)}</text>
<text x="${stage.x + 10}" y="${stage.y + 37}" font-size="12" fill="#1d232a">${stage.state}</text>
${stage.caption ? html`<text x="${stage.x + 10}" y="${stage.y + 51}" font-size="10" fill="#6b7480">${clip(stage.caption, 28)}</text>` : ""}
</g>`;
  return stage.href ? html`<a href="${stage.href}">${box}</a>` : box;
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function legend(layout: DagLayout): SafeHtml {
  const y = layout.height - LEGEND_HEIGHT + 8;
  const items = Object.entries(STAGE_FILLS).map(([state, fill], index) => {
    const x = MARGIN + index * 100;
    return html`<rect x="${x}" y="${y}" width="14" height="14" rx="3" fill="${fill}" stroke="#5b6573"/><text x="${x + 19}" y="${y + 12}" font-size="11" fill="#1d232a">${state}</text>`;
  });
  return html`<g class="legend">${items}</g>`;
}

/** The DAG as an inline `<svg>` element, sized to fit its stages and a legend of the states. */
export function pipelineDagSvg(stages: readonly DagStage[]): SafeHtml {
  const layout = layoutDag(stages);
  const placed = new Map(layout.stages.map((stage) => [stage.id, stage]));
  const width = Math.max(layout.width, MARGIN * 2 + Object.keys(STAGE_FILLS).length * 100);
  const edges = layout.stages.flatMap((stage) =>
    stage.parents
      .filter((parent) => placed.has(parent))
      .map((parent) => html`<path class="edge" data-from="${parent}" data-to="${stage.id}" d="${edgePath(placed.get(parent)!, stage)}" fill="none" stroke="#5b6573" stroke-width="1.6" marker-end="url(#arrow)"/>`),
  );
  return html`<svg class="pipeline-dag" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="pipeline stages and their inputs" width="${width}" height="${layout.height}" viewBox="0 0 ${width} ${layout.height}" font-family="system-ui, sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6573"/></marker></defs>
<rect x="0" y="0" width="${width}" height="${layout.height}" fill="#ffffff"/>
${edges}
${layout.stages.map(stageBox)}
${legend({ ...layout, width })}
</svg>`;
}
