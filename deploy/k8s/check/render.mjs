// Renders a kustomization as `kubectl kustomize` does, for the features the
// suite's manifests use, so the offline check needs no particular kubectl:
// Debian 12's kubectl (1.20) embeds kustomize 2.0.3, which cannot read
// them. tests/deploy/check_manifests.sh compares this rendering with a
// current kubectl's wherever one is installed.
// Features: resources (files and directories), components, namespace,
// labels (metadata only), images (tags and digests), patches (JSON 6902, by kind, name and
// label selector), secretGenerator (literals and files, with a content
// hash in the name and references to it renamed).
// Usage: node render.mjs <directory>   (YAML on stdout)
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";

const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding",
  "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass"]);

function readYaml(path) {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((document) => document.toJS())
    .filter((object) => object);
}

function kustomizationOf(directory) {
  return readYaml(join(directory, "kustomization.yaml"))[0] ?? {};
}

// RFC 6901 pointer segments.
function segments(path) {
  return path.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function applyOperation(object, operation) {
  const keys = segments(operation.path);
  const last = keys.pop();
  let parent = object;
  for (const key of keys) {
    parent = Array.isArray(parent) ? parent[Number(key)] : parent?.[key];
    if (parent === undefined) throw new Error(`no ${operation.path} to ${operation.op}`);
  }
  const value = structuredClone(operation.value);
  if (operation.op === "add") {
    if (Array.isArray(parent)) {
      parent.splice(last === "-" ? parent.length : Number(last), 0, value);
    } else {
      parent[last] = value;
    }
  } else if (operation.op === "replace") {
    if (!(last in parent)) throw new Error(`no ${operation.path} to replace`);
    parent[last] = value;
  } else if (operation.op === "remove") {
    if (!(last in parent)) throw new Error(`no ${operation.path} to remove`);
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    throw new Error(`patch operation ${operation.op} is not supported`);
  }
}

function matches(object, target = {}) {
  if (target.kind && object.kind !== target.kind) return false;
  if (target.name && object.metadata?.name !== target.name) return false;
  if (target.labelSelector) {
    const labels = object.metadata?.labels ?? {};
    for (const term of target.labelSelector.split(",")) {
      const [key, value] = term.split("=").map((s) => s.trim());
      if (labels[key] !== value) return false;
    }
  }
  return true;
}

function podSpecs(object) {
  const spec = object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
  return spec ? [spec] : [];
}

function generateSecrets(directory, generators, objects, renames) {
  for (const generator of generators ?? []) {
    const data = {};
    for (const literal of generator.literals ?? []) {
      const at = literal.indexOf("=");
      data[literal.slice(0, at)] = Buffer.from(literal.slice(at + 1)).toString("base64");
    }
    for (const file of generator.files ?? []) {
      const [key, path] = file.includes("=") ? file.split("=") : [basename(file), file];
      data[key] = readFileSync(join(directory, path)).toString("base64");
    }
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: generator.name },
      type: generator.type ?? "Opaque", data };
    const hash = createHash("sha256").update(JSON.stringify(secret)).digest("hex").slice(0, 10);
    renames.set(generator.name, `${generator.name}-${hash}`);
    secret.metadata.name = renames.get(generator.name);
    objects.push(secret);
  }
}

// References to generated Secrets follow their hashed names.
function renameSecretReferences(objects, renames) {
  const renamed = (name) => renames.get(name) ?? name;
  for (const object of objects) {
    for (const spec of podSpecs(object)) {
      for (const volume of spec.volumes ?? []) {
        if (volume.secret) volume.secret.secretName = renamed(volume.secret.secretName);
      }
      for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        for (const env of container.env ?? []) {
          const ref = env.valueFrom?.secretKeyRef;
          if (ref) ref.name = renamed(ref.name);
        }
        for (const from of container.envFrom ?? []) {
          if (from.secretRef) from.secretRef.name = renamed(from.secretRef.name);
        }
      }
    }
  }
}

// Applies a kustomization's own transformations to `objects`.
function transform(directory, kustomization, objects) {
  const renames = new Map();
  generateSecrets(directory, kustomization.secretGenerator, objects, renames);
  for (const patch of kustomization.patches ?? []) {
    const operations = patch.path
      ? readYaml(join(directory, patch.path))[0]
      : parseAllDocuments(patch.patch)[0].toJS();
    if (!Array.isArray(operations)) throw new Error(`${directory}: only JSON 6902 patches`);
    for (const object of objects.filter((o) => matches(o, patch.target))) {
      for (const operation of operations) applyOperation(object, operation);
    }
  }
  if (kustomization.namespace) {
    for (const object of objects) {
      if (!clusterScoped.has(object.kind)) {
        object.metadata = { ...object.metadata, namespace: kustomization.namespace };
      }
    }
  }
  for (const label of kustomization.labels ?? []) {
    if (label.includeSelectors || label.includeTemplates) {
      throw new Error(`${directory}: labels with selectors or templates are not supported`);
    }
    for (const object of objects) {
      object.metadata.labels = { ...(object.metadata.labels ?? {}), ...label.pairs };
    }
  }
  for (const image of kustomization.images ?? []) {
    for (const object of objects) {
      for (const spec of podSpecs(object)) {
        for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
          const [reference, digest] = container.image.split("@");
          const [name, tag] = reference.split(":");
          if (name !== image.name) continue;
          const newName = image.newName ?? name;
          if (image.digest) {
            container.image = `${newName}@${image.digest}`;
          } else {
            const newTag = image.newTag ?? tag;
            container.image = `${newName}${newTag ? `:${newTag}` : ""}${digest && !image.newTag ? `@${digest}` : ""}`;
          }
        }
      }
    }
  }
  renameSecretReferences(objects, renames);
}

export function render(directory) {
  const kustomization = kustomizationOf(directory);
  const objects = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(directory, resource);
    objects.push(...(statSync(path).isDirectory() ? render(path) : readYaml(path)));
  }
  // A component's resources join, then its transformations apply to all.
  for (const component of kustomization.components ?? []) {
    const path = join(directory, component);
    const inner = kustomizationOf(path);
    for (const resource of inner.resources ?? []) objects.push(...readYaml(join(path, resource)));
    transform(path, { ...inner, resources: [] }, objects);
  }
  transform(directory, kustomization, objects);
  return objects;
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  const objects = render(process.argv[2]);
  process.stdout.write(objects.map((object) => stringify(object)).join("---\n"));
}
