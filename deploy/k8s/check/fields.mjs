// The fields the Kubernetes API knows, read from kubernetes-models' type
// declarations, so a misspelt field (`maxUnavailabel`) is reported: the API
// schemas alone accept unknown fields, and the API server drops them
// silently unless told to be strict.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const modules = join(dirname(fileURLToPath(import.meta.url)), "node_modules");

// interface name -> { property -> type text }, under every exported name.
const interfaces = new Map();

function scan(directory) {
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (entry.startsWith("_")) continue;
    if (statSync(path).isDirectory()) {
      scan(path);
    } else if (entry.endsWith(".d.ts")) {
      read(readFileSync(path, "utf8"));
    }
  }
}

function read(text) {
  const local = new Map();
  for (const match of text.matchAll(/export interface (\w+)(?: extends [\w, ]+)? \{([\s\S]*?)\n\}/g)) {
    const properties = {};
    // A property starts at the interface's indentation ("name"?: Type); a
    // type may run over the lines after it.
    let open = null;  // a property whose type has not ended yet
    for (const line of match[2].split("\n")) {
      const property = /^\s{4}"([^"]+)"\??: (.*)$/.exec(line);
      if (property) {
        properties[property[1]] = property[2];
        open = property[2].trim().endsWith(";") ? null : property[1];
      } else if (open) {
        properties[open] += ` ${line.trim()}`;
        if (line.trim().endsWith(";")) open = null;
      }
    }
    for (const key of Object.keys(properties)) {
      properties[key] = properties[key].replace(/;\s*$/, "");
    }
    local.set(match[1], properties);
  }
  for (const match of text.matchAll(/export \{([^}]*)\}/g)) {
    for (const alias of match[1].split(",")) {
      const names = /(\w+) as (\w+)/.exec(alias.trim());
      if (names && local.has(names[1])) interfaces.set(names[2], local.get(names[1]));
    }
  }
}

let scanned = false;

// The interface a type text names, with how many arrays wrap it; null for
// anything else (scalars, unions, maps, quantities).
function named(type) {
  let depth = 0;
  let rest = type.trim();
  for (let array = /^Array<(.+)>$/.exec(rest); array; array = /^Array<(.+)>$/.exec(rest)) {
    rest = array[1].trim();
    depth += 1;
  }
  return /^I\w+$/.test(rest) ? { name: rest, depth } : null;
}

// Appends to `problems` every field of `value` that `interfaceName` lacks.
function walk(value, interfaceName, path, problems) {
  const properties = interfaces.get(interfaceName);
  if (!properties || value === null || typeof value !== "object" || Array.isArray(value)) return;
  // Types that take any field (maps, raw JSON) declare none of their own.
  if (Object.keys(properties).length === 0) return;
  for (const [key, child] of Object.entries(value)) {
    if (!(key in properties)) {
      problems.push(`${path}${key}: not a field of ${interfaceName.replace(/^IIoK8s\w*?V\d\w*?(?=[A-Z][a-z])/, "")}`);
      continue;
    }
    const type = named(properties[key]);
    if (!type) continue;
    const visit = (item, depth, itemPath) => {
      if (depth === 0) return walk(item, type.name, `${itemPath}.`, problems);
      if (Array.isArray(item)) item.forEach((element, i) => visit(element, depth - 1, `${itemPath}[${i}]`));
    };
    visit(child, type.depth, `${path}${key}`);
  }
}

// The unknown fields of an object of a kind kubernetes-models knows, each
// with its path ("spec.strategy.rollingUpdate.maxUnavailabel: ...").
export function unknownFields(object) {
  if (!scanned) {
    scan(join(modules, "kubernetes-models"));
    scan(join(modules, "@kubernetes-models", "apimachinery"));
    scanned = true;
  }
  const { apiVersion, kind } = object;
  const group = apiVersion.includes("/") ? apiVersion : `v1`;
  const declaration = readFileSync(join(modules, "kubernetes-models", group, `${kind}.d.ts`), "utf8");
  const alias = /export \{ I\w+ as (\w+)/.exec(declaration);
  const problems = [];
  if (alias) walk(object, alias[1], "", problems);
  return problems;
}
