// Offline checks of rendered manifests (`kubectl kustomize` output):
//   1. every object validates against the Kubernetes API schema of its
//      apiVersion and kind (kubernetes-models, pinned in package.json), and
//      has no field the API does not know (fields.mjs);
//   2. the suite's policy: every container has limits and requests, runs
//      as non-root on a read-only root filesystem with no privilege
//      escalation and all capabilities dropped; every long-running
//      container has liveness, readiness and startup probes; servers drain
//      within their grace period; each server Deployment has a PDB and an
//      HPA; the backends' Services are headless.
// Usage: node validate.mjs rendered.yaml   (exit 1 with every problem listed)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { unknownFields } from "./fields.mjs";

// --prod: the rules of a production overlay too (images pinned by digest).
const production = process.argv.includes("--prod");
const file = process.argv.filter((arg) => !arg.startsWith("--"))[2];
if (!file) {
  console.error("usage: node validate.mjs [--prod] rendered.yaml");
  process.exit(2);
}
const objects = parseAllDocuments(readFileSync(file, "utf8"))
  .map((document) => document.toJS())
  .filter((object) => object);
const problems = [];
const where = (object) => `${object.kind}/${object.metadata?.name}`;

// Custom resources the API schemas do not know, checked for what the
// suite relies on.
// Labels a selector's matchLabels and matchExpressions (In) accept.
function selectorAccepts(selector, labels) {
  const byLabel = Object.entries(selector?.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpression = (selector?.matchExpressions ?? []).every(
    (e) => e.operator === "In" && (e.values ?? []).includes(labels[e.key]),
  );
  return byLabel && byExpression;
}

const customChecks = {
  // Each server's pods must be scraped, on a port they name.
  "monitoring.coreos.com/v1/PodMonitor": (object) => {
    const endpoints = object.spec?.podMetricsEndpoints ?? [];
    if (endpoints.length === 0 || endpoints.some((e) => typeof e.port !== "string")) {
      problems.push(`${where(object)}: spec.podMetricsEndpoints[].port must name a port`);
      return;
    }
    // PostgreSQL's instances, which CloudNativePG labels with their cluster.
    const clusters = objects.filter((o) => o.kind === "Cluster");
    if (clusters.some((c) => selectorAccepts(object.spec?.selector, { "cnpg.io/cluster": c.metadata.name }))) {
      return;
    }
    for (const deployment of objects.filter((o) => o.kind === "Deployment")) {
      const pod = deployment.spec?.template ?? {};
      if (!selectorAccepts(object.spec?.selector, pod.metadata?.labels ?? {})) {
        problems.push(`${where(object)}: does not select ${where(deployment)}'s pods`);
        continue;
      }
      const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).map((p) => p.name);
      for (const endpoint of endpoints) {
        if (!ports.includes(endpoint.port)) {
          problems.push(`${where(object)}: ${where(deployment)} has no port ${endpoint.port}`);
        }
      }
    }
  },
  "postgresql.cnpg.io/v1/ScheduledBackup": (object) => {
    if (typeof object.spec?.schedule !== "string" || typeof object.spec?.cluster?.name !== "string") {
      problems.push(`${where(object)}: spec.schedule and spec.cluster.name are required`);
    }
  },
  "postgresql.cnpg.io/v1/Cluster": (object) => {
    const spec = object.spec ?? {};
    if (!Number.isInteger(spec.instances) || spec.instances < 1) {
      problems.push(`${where(object)}: spec.instances must be a positive integer`);
    }
    if (typeof spec.storage?.size !== "string") {
      problems.push(`${where(object)}: spec.storage.size is required`);
    }
  },
};

async function validateSchema(object) {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    problems.push(`object without apiVersion or kind: ${JSON.stringify(object).slice(0, 80)}`);
    return;
  }
  const custom = customChecks[`${apiVersion}/${kind}`];
  if (custom) return custom(object);
  const modulePath = apiVersion.includes("/")
    ? `kubernetes-models/${apiVersion}/${kind}`
    : `kubernetes-models/v1/${kind}`;
  let module;
  try {
    module = await import(modulePath);
  } catch {
    problems.push(`${where(object)}: unknown apiVersion/kind ${apiVersion} ${kind}`);
    return;
  }
  // kustomize wraps long base64 values over lines; the API server's decoder
  // skips the line breaks, the schema's "byte" format does not.
  if (kind === "Secret" && object.data) {
    for (const key of Object.keys(object.data)) {
      object.data[key] = String(object.data[key]).replace(/\s+/g, "");
    }
  }
  try {
    new module[kind](object).validate();
  } catch (error) {
    problems.push(`${where(object)}: ${error.message.split("\n").slice(0, 4).join(" ")}`);
  }
  for (const unknown of unknownFields(object)) problems.push(`${where(object)}: ${unknown}`);
}

function durationSeconds(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(text ?? ""));
  if (!match) return NaN;
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60 }[match[2]];
}

function checkContainer(object, podSpec, container, longRunning) {
  const name = `${where(object)} container ${container.name}`;
  for (const kind of ["requests", "limits"]) {
    for (const resource of ["cpu", "memory"]) {
      if (!container.resources?.[kind]?.[resource]) {
        problems.push(`${name}: no ${kind}.${resource}`);
      }
    }
  }
  const security = container.securityContext ?? {};
  if (security.allowPrivilegeEscalation !== false) {
    problems.push(`${name}: allowPrivilegeEscalation must be false`);
  }
  if (security.readOnlyRootFilesystem !== true) {
    problems.push(`${name}: readOnlyRootFilesystem must be true`);
  }
  if (!(security.capabilities?.drop ?? []).includes("ALL")) {
    problems.push(`${name}: capabilities must drop ALL`);
  }
  if ((security.runAsNonRoot ?? podSpec.securityContext?.runAsNonRoot) !== true) {
    problems.push(`${name}: must run as non-root`);
  }
  if ((security.runAsUser ?? podSpec.securityContext?.runAsUser) === 0) {
    problems.push(`${name}: runs as user 0`);
  }
  if (security.privileged === true) problems.push(`${name}: privileged`);
  if (longRunning) {
    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
      if (!container[probe]) problems.push(`${name}: no ${probe}`);
    }
  }
}

function checkPolicy() {
  const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "caunoi-config");
  const drain =
    durationSeconds(config?.data?.CAUNOI_DRAIN_GRACE) +
    durationSeconds(config?.data?.CAUNOI_DRAIN_DEADLINE);
  if (!config || Number.isNaN(drain)) {
    problems.push("ConfigMap caunoi-config with CAUNOI_DRAIN_GRACE and CAUNOI_DRAIN_DEADLINE is required");
  }
  const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind));
  for (const object of workloads) {
    const podSpec = object.spec?.template?.spec ?? {};
    const longRunning = object.kind !== "Job";
    for (const container of podSpec.containers ?? []) {
      checkContainer(object, podSpec, container, longRunning);
    }
    for (const container of podSpec.initContainers ?? []) {
      checkContainer(object, podSpec, container, false);
    }
    if (object.kind !== "Deployment") continue;
    const grace = podSpec.terminationGracePeriodSeconds ?? 30;
    if (!(grace > drain)) {
      problems.push(`${where(object)}: terminationGracePeriodSeconds ${grace} must exceed the drain (${drain} s)`);
    }
    const name = object.metadata.name;
    const labels = object.spec?.template?.metadata?.labels ?? {};
    const selects = (selector) =>
      Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    if (!objects.some((o) => o.kind === "PodDisruptionBudget" && selects(o.spec?.selector))) {
      problems.push(`${where(object)}: no PodDisruptionBudget selects its pods`);
    }
    if (!objects.some((o) => o.kind === "HorizontalPodAutoscaler" && o.spec?.scaleTargetRef?.name === name)) {
      problems.push(`${where(object)}: no HorizontalPodAutoscaler scales it`);
    }
  }
  for (const service of objects.filter((o) => o.kind === "Service")) {
    const backend = ["caunoi-directives", "caunoi-organizations", "caunoi-reports"];
    if (backend.includes(service.metadata?.name) && service.spec?.clusterIP !== "None") {
      problems.push(`${where(service)}: must be headless (clusterIP: None) so the gateway sees every replica`);
    }
  }
  if (!objects.some((o) => o.kind === "NetworkPolicy")) {
    problems.push("no NetworkPolicy: every namespace of the suite must restrict ingress");
  }
}

// What an operator relies on: namespaces under Pod Security Standards, a
// database backed up and sized for the servers at their autoscaling maxima,
// and (in production) images that cannot change under a tag.
function checkOperations() {
  for (const namespace of objects.filter((o) => o.kind === "Namespace")) {
    const labels = namespace.metadata?.labels ?? {};
    if (labels["pod-security.kubernetes.io/enforce"] !== "restricted") {
      problems.push(`${where(namespace)}: no Pod Security Standards label pod-security.kubernetes.io/enforce=restricted`);
    }
  }
  const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "caunoi-config");
  for (const cluster of objects.filter((o) => o.kind === "Cluster")) {
    const name = cluster.metadata?.name;
    if (!cluster.spec?.backup?.barmanObjectStore?.destinationPath) {
      problems.push(`${where(cluster)}: no backup.barmanObjectStore: nothing to restore from`);
    }
    if (!objects.some((o) => o.kind === "ScheduledBackup" && o.spec?.cluster?.name === name)) {
      problems.push(`${where(cluster)}: no ScheduledBackup backs it up`);
    }
    // Each server pod holds its pool and the health probe's connection.
    let needed = 1 + 3;  // the migration Job, superuser_reserved_connections
    const parts = [];
    for (const deployment of objects.filter((o) => o.kind === "Deployment" &&
        o.spec?.template?.metadata?.labels?.["caunoi.io/tier"] === "backend")) {
      const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler" &&
        o.spec?.scaleTargetRef?.name === deployment.metadata.name);
      const pods = hpa?.spec?.maxReplicas ?? deployment.spec?.replicas ?? 1;
      const env = deployment.spec.template.spec.containers[0].env ?? [];
      const pool = Number(env.find((e) => e.name === "CAUNOI_DB_POOL_SIZE")?.value ??
        config?.data?.CAUNOI_DB_POOL_SIZE ?? 8);
      needed += pods * (pool + 1);
      parts.push(`${pods} × (${pool} + 1)`);
    }
    const max = Number(cluster.spec?.postgresql?.parameters?.max_connections ?? 100);
    if (max < needed) {
      problems.push(`${where(cluster)}: max_connections ${max} is below the ${needed} the servers may open at their autoscaling maxima (${parts.join(" + ")} + migrations 1 + reserved 3)`);
    }
    if (production && !/@sha256:[0-9a-f]{64}$/.test(cluster.spec?.imageName ?? "")) {
      problems.push(`${where(cluster)}: imageName ${cluster.spec?.imageName} is not pinned by digest`);
    }
  }
  if (!production) return;
  for (const object of objects.filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind))) {
    const spec = object.spec?.template?.spec ?? {};
    for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      if (!/@sha256:[0-9a-f]{64}$/.test(container.image ?? "")) {
        problems.push(`${where(object)} container ${container.name}: image ${container.image} is not pinned by digest`);
      }
    }
  }
}

for (const object of objects) await validateSchema(object);
checkPolicy();
checkOperations();
if (problems.length > 0) {
  console.error(`${file}: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`${file}: ${objects.length} objects valid`);
