// The Kubernetes manifests cannot be applied here, so this keeps them from rotting: every file
// parses; every command, flag and environment variable a container names exists in the CLI and
// the configuration; ports, probes and Services agree; the HPA scales a Deployment of the
// manifests on the metric the adapter rules make from the scheduler's; the image is the one
// deploy/Dockerfile builds on the pinned Node.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command, Option } from "commander";
import { parseAllDocuments, parse } from "yaml";
import { buildProgram } from "../../../src/cli/program.ts";
import { KEY_FILE_VARIABLE, MARKET_URL_VARIABLE, SMS_URL_VARIABLE } from "../../../src/cli/context.ts";
import { PASSWORD_VARIABLE } from "../../../src/cli/password.ts";
import { ENVIRONMENT_VARIABLES } from "../../../src/config/environmentVariables.ts";
import { SERVICE_COMMANDS } from "../../../src/serve/index.ts";
import type { DataSource, EntityManager } from "typeorm";
import { createSchedulerMetrics } from "../../../scheduler/metrics/schedulerMetrics.ts";

const ROOT = join(import.meta.dirname, "../../..");
const K8S = join(ROOT, "deploy/k8s");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };

/** Variables the CLI reads outside the configuration schema. */
const CLI_VARIABLES = new Set([PASSWORD_VARIABLE, KEY_FILE_VARIABLE, MARKET_URL_VARIABLE, SMS_URL_VARIABLE]);
const KNOWN_VARIABLES = new Set([...Object.keys(ENVIRONMENT_VARIABLES), ...CLI_VARIABLES]);

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> };
type Container = { name: string; image: string; args: string[]; ports?: { containerPort: number }[]; env?: { name: string }[]; envFrom?: any[]; readinessProbe?: any; livenessProbe?: any };

function manifests(): { file: string; manifest: Manifest }[] {
  return readdirSync(K8S)
    .filter((file) => file.endsWith(".yaml"))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(K8S, file), "utf8")).map((document) => {
        expect(document.errors, file).to.deep.equal([]);
        return { file, manifest: document.toJS() as Manifest };
      }),
    );
}

function containersOf(manifest: Manifest): Container[] {
  return manifest.kind === "Deployment" ? (manifest.spec.template.spec.containers as Container[]) : [];
}

const program = buildProgram({ io: { stdout: () => undefined, stderr: () => undefined }, env: {}, cwd: ROOT }, SERVICE_COMMANDS);

function optionOf(command: Command, flag: string): Option | undefined {
  return command.options.find((option) => option.long === flag || option.short === flag);
}

/** The command `args` run, with each flag checked against that command's options and the program's. */
function resolveCommand(args: readonly string[]): { path: string[]; problems: string[] } {
  let command: Command = program;
  const path: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith("-")) {
      const option = optionOf(command, arg) ?? optionOf(program, arg);
      if (!option) problems.push(`${[...path, arg].join(" ")}: no such option`);
      else if (option.required || option.optional) i += 1;
      continue;
    }
    const sub = command.commands.find((candidate) => candidate.name() === arg);
    if (sub) {
      command = sub;
      path.push(arg);
    } else if (command.registeredArguments.length === 0) {
      problems.push(`${[...path, arg].join(" ")}: no such command`);
    }
  }
  if (command.commands.length > 0) problems.push(`${path.join(" ")}: a command group, not a command`);
  return { path, problems };
}

describe("Kubernetes manifests (deploy/k8s)", () => {
  const all = manifests();
  const byKind = (kind: string) => all.filter(({ manifest }) => manifest.kind === kind).map(({ manifest }) => manifest);

  it("parse, and hold the Deployments, Services, HPA and configuration the deployment needs", () => {
    expect(byKind("Deployment").map((m) => m.metadata.name).sort()).to.deep.equal(["continuum-market", "continuum-scheduler", "continuum-sms", "continuum-worker"]);
    expect(byKind("Service").map((m) => m.metadata.name).sort()).to.deep.equal(["continuum-market", "continuum-scheduler", "continuum-sms"]);
    expect(byKind("HorizontalPodAutoscaler")).to.have.length(1);
  });

  it("run only commands and flags the CLI has", () => {
    for (const deployment of byKind("Deployment")) {
      for (const container of containersOf(deployment)) {
        const { path, problems } = resolveCommand(container.args);
        expect(problems, `${deployment.metadata.name}: continuum ${container.args.join(" ")}`).to.deep.equal([]);
        expect(path.length, deployment.metadata.name).to.be.greaterThan(0);
      }
    }
    // The check itself refuses what does not exist.
    expect(resolveCommand(["market", "serve", "--no-such-flag"]).problems).to.have.length(1);
    expect(resolveCommand(["market", "launch"]).problems).to.not.be.empty;
    expect(resolveCommand(["workerpool"]).problems).to.have.length(1);
  });

  it("set only environment variables the configuration or the CLI reads", () => {
    const configMaps = new Map(byKind("ConfigMap").map((m) => [m.metadata.name, m.data ?? {}]));
    const secrets = new Map(byKind("Secret").map((m) => [m.metadata.name, m.stringData ?? {}]));
    const isVariable = (key: string) => /^[A-Z][A-Z0-9_]*$/.test(key);
    for (const [name, data] of [...configMaps, ...secrets]) {
      for (const key of Object.keys(data).filter(isVariable)) expect(KNOWN_VARIABLES.has(key), `${name}: ${key}`).to.equal(true);
    }
    for (const deployment of byKind("Deployment")) {
      for (const container of containersOf(deployment)) {
        for (const { name } of container.env ?? []) expect(KNOWN_VARIABLES.has(name), `${deployment.metadata.name}: ${name}`).to.equal(true);
        for (const source of container.envFrom ?? []) {
          const ref = source.configMapRef ?? source.secretRef;
          expect(configMaps.has(ref.name) || secrets.has(ref.name), `${deployment.metadata.name}: envFrom ${ref.name}`).to.equal(true);
        }
      }
    }
    expect(KNOWN_VARIABLES.has("CONTINUUM_NO_SUCH_THING")).to.equal(false);
  });

  it("listen where their Services, probes and --port say", () => {
    const services = byKind("Service");
    for (const deployment of byKind("Deployment")) {
      for (const container of containersOf(deployment)) {
        // A service listens on --port; the worker, which serves no API, its probes on the metrics port.
        const portFlag = container.args.indexOf("--port");
        const metricsPort = container.env?.find((variable) => variable.name === "CONTINUUM_WORKER_METRICS_PORT") as { value?: string } | undefined;
        const ports = (container.ports ?? []).map((port) => port.containerPort);
        const port = portFlag >= 0 ? Number(container.args[portFlag + 1]) : Number(metricsPort?.value);
        expect(Number.isInteger(port), `${deployment.metadata.name} names its port`).to.equal(true);
        expect(ports, deployment.metadata.name).to.deep.equal([port]);
        expect(container.readinessProbe.httpGet, deployment.metadata.name).to.deep.equal({ path: "/readyz", port });
        expect(container.livenessProbe.httpGet, deployment.metadata.name).to.deep.equal({ path: "/healthz", port });
        const scraped = deployment.spec.template.metadata.annotations?.["prometheus.io/port"];
        if (scraped !== undefined) expect(Number(scraped), `${deployment.metadata.name} is scraped where it serves /metrics`).to.equal(port);
        if (portFlag < 0) continue;
        const service = services.find((candidate) => candidate.metadata.name === deployment.metadata.name)!;
        expect(service.spec.selector).to.deep.equal(deployment.spec.selector.matchLabels);
        expect(service.spec.ports.map((p: { targetPort: number }) => p.targetPort)).to.deep.equal([port]);
      }
    }
  });

  it("scale the workers with autoscaling/v2 on the External metric the adapter makes from the scheduler's task counts", () => {
    const [hpa] = byKind("HorizontalPodAutoscaler");
    expect(hpa!.apiVersion).to.equal("autoscaling/v2");
    expect(hpa!.spec.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "continuum-worker" });
    const [metric] = hpa!.spec.metrics;
    expect(metric.type).to.equal("External");
    const adapter = parse(byKind("ConfigMap").find((m) => m.metadata.name === "continuum-prometheus-adapter")!.data!["config.yaml"]!);
    const rule = adapter.externalRules.find((candidate: { name: { as: string } }) => candidate.name.as === metric.external.metric.name);
    expect(rule, "an adapter rule makes the HPA's metric").to.not.equal(undefined);
    const series = /^([a-z_]+)\{/.exec(rule.seriesQuery)![1]!;
    expect(rule.metricsQuery).to.include(series);
    expect(SCHEDULER_METRICS, "the scheduler exports the series the rule reads").to.include(series);
  });

  it("run the image deploy/Dockerfile builds, on the Node major version package.json pins", () => {
    const dockerfile = readFileSync(join(ROOT, "deploy/Dockerfile"), "utf8");
    const pinned = /^(\d+)\./.exec(PACKAGE.devDependencies.node!)![1];
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((match) => match[1]);
    expect(bases.length).to.be.greaterThan(0);
    expect(new Set(bases)).to.deep.equal(new Set([pinned]));
    expect(dockerfile).to.match(/^ENTRYPOINT \["node", "bin\/continuum\.ts"\]$/m);
    for (const deployment of byKind("Deployment")) {
      for (const container of containersOf(deployment)) expect(container.image, deployment.metadata.name).to.equal(`continuum:${PACKAGE.version}`);
    }
  });
});

/**
 * The metric names the scheduler's registry exports (its gauges read the database only when
 * scraped, so an unopened manager is enough to list them).
 */
const SCHEDULER_METRICS: readonly string[] = createSchedulerMetrics({} as EntityManager as unknown as DataSource, 1_000)
  .registry.getMetricsAsArray()
  .map((metric) => metric.name);
