// Draws the autoscale benchmark's timeline as a standalone SVG, by hand: queue depth (waiting
// tasks, left axis) and workers (right axis) over seconds since the burst, the phase's bounds as
// dashed lines. Pure: samples in, SVG text out.

export type TimelinePoint = { seconds: number; workers: number; waiting: number; running: number };

const WIDTH = 760;
const HEIGHT = 360;
const PAD = { left: 56, right: 56, top: 36, bottom: 44 };

export function timelineSvg(points: readonly TimelinePoint[], bounds: { min: number; max: number }, title: string): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const lastSecond = Math.max(1, ...points.map((point) => point.seconds));
  const taskScale = niceCeiling(Math.max(1, ...points.map((point) => point.waiting)));
  const workerScale = Math.max(bounds.max, ...points.map((point) => point.workers));
  const x = (seconds: number) => PAD.left + (seconds / lastSecond) * plotWidth;
  const yTasks = (tasks: number) => PAD.top + plotHeight - (tasks / taskScale) * plotHeight;
  const yWorkers = (workers: number) => PAD.top + plotHeight - (workers / workerScale) * plotHeight;
  const fixed = (value: number) => value.toFixed(1);

  // Workers change in steps: hold each value until the next sample.
  const workerSteps = points.flatMap((point, index) => {
    const here = `${fixed(x(point.seconds))},${fixed(yWorkers(point.workers))}`;
    const previous = points[index - 1];
    return previous ? [`${fixed(x(point.seconds))},${fixed(yWorkers(previous.workers))}`, here] : [here];
  });
  const queueLine = points.map((point) => `${fixed(x(point.seconds))},${fixed(yTasks(point.waiting))}`);

  const elements: string[] = [];
  for (let tick = 0; tick <= 4; tick += 1) {
    const tasks = (taskScale * tick) / 4;
    const y = yTasks(tasks);
    elements.push(`<line x1="${PAD.left}" y1="${fixed(y)}" x2="${WIDTH - PAD.right}" y2="${fixed(y)}" stroke="#e5e5e5"/>`);
    elements.push(`<text x="${PAD.left - 8}" y="${fixed(y + 4)}" text-anchor="end">${round(tasks)}</text>`);
  }
  for (let workers = 0; workers <= workerScale; workers += Math.max(1, Math.ceil(workerScale / 8))) {
    elements.push(`<text x="${WIDTH - PAD.right + 8}" y="${fixed(yWorkers(workers) + 4)}" fill="#1f6feb">${workers}</text>`);
  }
  for (let tick = 0; tick <= 5; tick += 1) {
    const seconds = (lastSecond * tick) / 5;
    elements.push(`<text x="${fixed(x(seconds))}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${round(seconds)}</text>`);
  }
  for (const [label, workers] of [["min", bounds.min], ["max", bounds.max]] as const) {
    const y = fixed(yWorkers(workers));
    elements.push(`<line x1="${PAD.left}" y1="${y}" x2="${WIDTH - PAD.right}" y2="${y}" stroke="#1f6feb" stroke-dasharray="4 4" stroke-opacity="0.5"/>`);
    elements.push(`<text x="${WIDTH - PAD.right - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#1f6feb" fill-opacity="0.7">${label}</text>`);
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    ...elements,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
    `<polyline fill="none" stroke="#d1242f" stroke-width="2" points="${queueLine.join(" ")}"/>`,
    `<polyline fill="none" stroke="#1f6feb" stroke-width="2.5" points="${workerSteps.join(" ")}"/>`,
    `<text x="${PAD.left}" y="${HEIGHT - 8}">seconds since the burst</text>`,
    `<text x="${PAD.left + 190}" y="${HEIGHT - 8}" fill="#d1242f">— waiting tasks (left axis)</text>`,
    `<text x="${PAD.left + 390}" y="${HEIGHT - 8}" fill="#1f6feb">— workers (right axis)</text>`,
    "</svg>",
    "",
  ].join("\n");
}

/** 1, 2 or 5 times a power of ten, at least `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (char) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[char]!);
}
