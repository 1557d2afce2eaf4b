// Validates every manifest under k8s/ (the base, the examples) against the schema of its kind:
// Kubernetes' own kinds with kubernetes-models, the Prometheus Operator's with its models package.
//   npm ci --prefix k8s/tools && node k8s/tools/validate.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

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
};

function manifests(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) {
      return name === "tools" ? [] : manifests(path);
    }
    return name.endsWith(".yaml") && name !== "kustomization.yaml" ? [path] : [];
  });
}

let failures = 0;
let validated = 0;
for (const file of manifests(k8sDirectory)) {
  for (const document of yaml.loadAll(readFileSync(file, "utf8"))) {
    const name = `${relative(k8sDirectory, file)}: ${document.kind} ${document.metadata?.name}`;
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
}
console.log(`${validated} passed, ${failures} failed`);
process.exit(failures === 0 && validated > 0 ? 0 : 1);
