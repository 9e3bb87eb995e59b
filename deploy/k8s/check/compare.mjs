// Compares two renderings of one kustomization (render.mjs's and a current
// kubectl's), object by object, with generated Secrets' hash suffixes set
// aside. Usage: node compare.mjs ours.yaml theirs.yaml (exit 1 on a
// difference, each listed).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const load = (file) =>
  parseAllDocuments(readFileSync(file, "utf8"))
    .map((document) => document.toJS())
    .filter((object) => object);

// Keys sorted and hashed names unhashed, so equal objects print equal.
function normalize(value) {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value).sort().map((key) => [key, normalize(value[key])]),
    );
  }
  return typeof value === "string" ? value.replace(/^(caunoi-[\w-]+?)-[a-z0-9]{10}$/, "$1") : value;
}

const keyOf = (object) =>
  `${object.kind}/${object.metadata?.namespace ?? ""}/${normalize(object.metadata?.name)}`;

function byKey(objects) {
  for (const object of objects) {
    // kustomize folds long base64 values over lines; the bytes are the same.
    if (object.kind === "Secret") {
      for (const key of Object.keys(object.data ?? {})) {
        object.data[key] = String(object.data[key]).replace(/\s+/g, "");
      }
    }
  }
  return new Map(objects.map((object) => [keyOf(object), JSON.stringify(normalize(object))]));
}

const [ours, theirs] = [byKey(load(process.argv[2])), byKey(load(process.argv[3]))];
const problems = [];
for (const [key, text] of theirs) {
  if (!ours.has(key)) problems.push(`${key}: missing from ours`);
  else if (ours.get(key) !== text) problems.push(`${key}: differs\n  ours:   ${ours.get(key)}\n  theirs: ${text}`);
}
for (const key of ours.keys()) if (!theirs.has(key)) problems.push(`${key}: only in ours`);
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${ours.size} objects rendered alike`);
