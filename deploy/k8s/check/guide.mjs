// The README's Kubernetes commands against the manifests they drive: every
// Secret the prod overlay mounts or reads is created by the guide with the
// keys it needs (and the guide creates none it does not use), and every
// deployment, job, service and port a command names exists.
// Usage: node guide.mjs README.md dev.yaml prod.yaml   (exit 1 with each mismatch)
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";

const [readme, devFile, prodFile] = process.argv.slice(2);
const load = (file) =>
  parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter((o) => o);
const dev = load(devFile);
const prod = load(prodFile);
const problems = [];

// The commands of the README's ```sh blocks, continuation lines joined.
const commands = [];
let inBlock = false;
let pending = "";
for (const line of readFileSync(readme, "utf8").split("\n")) {
  if (line.startsWith("```")) {
    inBlock = line.trim() === "```sh";
    continue;
  }
  if (!inBlock) continue;
  pending += line.replace(/\\$/, " ");
  if (line.endsWith("\\")) continue;
  if (pending.trim().startsWith("kubectl")) commands.push(pending.trim());
  pending = "";
}

// Secrets the guide creates, with their keys.
const created = new Map();
for (const command of commands) {
  const secret = /create secret (generic|tls) ([\w-]+)/.exec(command);
  if (!secret) continue;
  const keys = new Set(secret[1] === "tls" ? ["tls.crt", "tls.key"] : []);
  for (const [, kind, value] of command.matchAll(/--from-(literal|file)=([^\s=]+)(=?)/g)) {
    keys.add(kind === "file" && !command.includes(`--from-file=${value}=`) ? basename(value) : value);
  }
  created.set(secret[2], new Set([...(created.get(secret[2]) ?? []), ...keys]));
}

// Secrets the prod overlay reads, with the keys it needs ("*": all).
const needed = new Map();
const need = (name, key) => {
  if (!needed.has(name)) needed.set(name, new Set());
  needed.get(name).add(key);
};
function collect(value) {
  if (Array.isArray(value)) return value.forEach(collect);
  if (!value || typeof value !== "object") return;
  if (value.secretKeyRef) need(value.secretKeyRef.name, value.secretKeyRef.key);
  if (value.secret?.secretName) {
    const items = value.secret.items ?? [];
    if (items.length === 0) need(value.secret.secretName, "*");
    for (const item of items) need(value.secret.secretName, item.key);
  }
  if (value.tls && Array.isArray(value.tls)) {
    for (const tls of value.tls) if (tls.secretName) need(tls.secretName, "tls.crt");
  }
  // CloudNativePG's object-store credentials: {name, key}.
  if (value.accessKeyId?.name) need(value.accessKeyId.name, value.accessKeyId.key);
  if (value.secretAccessKey?.name) need(value.secretAccessKey.name, value.secretAccessKey.key);
  Object.values(value).forEach(collect);
}
collect(prod.filter((o) => o.kind !== "Secret"));
// The operator writes this one (the Cluster's application user).
needed.delete("caunoi-db-app");

for (const [name, keys] of needed) {
  if (!created.has(name)) {
    problems.push(`Secret ${name}: the prod overlay reads it, the guide never creates it`);
    continue;
  }
  for (const key of keys) {
    if (key !== "*" && !created.get(name).has(key)) {
      problems.push(`Secret ${name}: the prod overlay reads key ${key}, the guide does not set it`);
    }
  }
}
for (const name of created.keys()) {
  if (!needed.has(name)) problems.push(`Secret ${name}: the guide creates it, nothing reads it`);
}

// Workloads, services and ports the commands name.
const all = [...dev, ...prod];
for (const command of commands) {
  for (const [, kind, name] of command.matchAll(/\b(deployment|job|svc)\/([\w-]+)/g)) {
    const wanted = { deployment: "Deployment", job: "Job", svc: "Service" }[kind];
    const found = all.filter((o) => o.kind === wanted && (o.metadata.name === name ||
      (wanted === "Job" && o.metadata.name.startsWith(`${name}`))));
    if (found.length === 0) {
      problems.push(`\`${command}\`: no ${wanted} ${name}`);
      continue;
    }
    const port = /port-forward \S+ (\d+)/.exec(command)?.[1];
    if (!port) continue;
    const ports = found.flatMap((o) =>
      wanted === "Service"
        ? (o.spec?.ports ?? []).map((p) => p.port)
        : (o.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)));
    if (!ports.includes(Number(port))) problems.push(`\`${command}\`: ${name} has no port ${port}`);
  }
}

if (problems.length > 0) {
  console.error(`${readme}: ${problems.length} command(s) out of step with the manifests`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`${readme}: ${commands.length} kubectl commands agree with the manifests`);
