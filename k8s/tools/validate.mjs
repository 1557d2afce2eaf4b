// Validates every manifest under k8s/ (the base, the examples) against the schema of its kind:
// Kubernetes' own kinds with kubernetes-models, the Prometheus Operator's and CloudNativePG's with
// their models packages. Each overlay under k8s/overlays/ is built as kustomize builds it (its
// resources, then its components' resources and JSON patches, then its own JSON patches) and every
// object it yields is validated too, so the components under k8s/components/ are validated through
// the overlays that use them.
//   npm ci --prefix k8s/tools && node k8s/tools/validate.mjs
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import jsonPatch from "fast-json-patch";

const k8sDirectory = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The model class of each apiVersion and kind the manifests use; an unknown kind fails the run. */
const models = {
  "v1/ConfigMap": () => import("kubernetes-models/v1/ConfigMap"),
  "v1/Service": () => import("kubernetes-models/v1/Service"),
  "apps/v1/Deployment": () => import("kubernetes-models/apps/v1/Deployment"),
  "autoscaling/v2/HorizontalPodAutoscaler": () => import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler"),
  "policy/v1/PodDisruptionBudget": () => import("kubernetes-models/policy/v1/PodDisruptionBudget"),
  "networking.k8s.io/v1/NetworkPolicy": () => import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy"),
  "networking.k8s.io/v1/Ingress": () => import("kubernetes-models/networking.k8s.io/v1/Ingress"),
  "monitoring.coreos.com/v1/ServiceMonitor": () =>
    import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor"),
  "monitoring.coreos.com/v1/PrometheusRule": () =>
    import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule"),
  "postgresql.cnpg.io/v1/Cluster": () => import("@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster"),
};

function manifests(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) {
      return name === "tools" || name === "overlays" || name === "components" ? [] : manifests(path);
    }
    return name.endsWith(".yaml") && name !== "kustomization.yaml" ? [path] : [];
  });
}

/** The objects a kustomization yields: its resources (files, or directories with a kustomization), patched. */
function build(directory) {
  return accumulate(directory, []);
}

/**
 * Adds what the kustomization (or Component) in a directory contributes to the objects built so far: its
 * resources, then its components', then its patches, which apply to everything accumulated.
 */
function accumulate(directory, objects) {
  const kustomization = yaml.load(readFileSync(join(directory, "kustomization.yaml"), "utf8"));
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(directory, resource);
    objects.push(...(statSync(path).isDirectory() ? build(path) : yaml.loadAll(readFileSync(path, "utf8"))));
  }
  for (const component of kustomization.components ?? []) {
    const path = resolve(directory, component);
    const { kind } = yaml.load(readFileSync(join(path, "kustomization.yaml"), "utf8"));
    if (kind !== "Component") {
      throw new Error(`${relative(k8sDirectory, directory)}: ${component} is a ${kind}, not a Component`);
    }
    accumulate(path, objects);
  }
  for (const { target, patch } of kustomization.patches ?? []) {
    const matches = objects.filter((object) => object.kind === target.kind && object.metadata?.name === target.name);
    if (matches.length !== 1) {
      throw new Error(`${relative(k8sDirectory, directory)}: patch target ${target.kind} ${target.name} matches ${matches.length} objects`);
    }
    jsonPatch.applyPatch(matches[0], yaml.load(patch), true);
  }
  return objects;
}

function overlays() {
  const directory = join(k8sDirectory, "overlays");
  return existsSync(directory) ? readdirSync(directory).map((name) => join(directory, name)) : [];
}

const documents = manifests(k8sDirectory).flatMap((file) =>
  yaml.loadAll(readFileSync(file, "utf8")).map((object) => ({ object, origin: relative(k8sDirectory, file) })));
for (const overlay of overlays()) {
  documents.push(...build(overlay).map((object) => ({ object, origin: relative(k8sDirectory, overlay) })));
}

let failures = 0;
let validated = 0;
for (const { object: document, origin } of documents) {
  const name = `${origin}: ${document.kind} ${document.metadata?.name}`;
  const load = models[`${document.apiVersion}/${document.kind}`];
  if (!load) {
    console.error(`FAIL ${name}: no schema known for ${document.apiVersion} ${document.kind}`);
    failures++;
    continue;
  }
  const Model = Object.values(await load()).find((value) => typeof value === "function");
  try {
    new Model(document).validate();
    validated++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    console.error(`FAIL ${name}: ${error.message}`);
  }
}
console.log(`${validated} passed, ${failures} failed`);
process.exit(failures === 0 && validated > 0 ? 0 : 1);
