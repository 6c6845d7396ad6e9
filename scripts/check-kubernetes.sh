#!/usr/bin/env bash
# Renders every kustomization under deploy/kubernetes and checks the result:
#   - kubernetes-validate (PyPI): every object against the Kubernetes API schemas, strictly
#     (unknown fields are errors), for the oldest Kubernetes the manifests support;
#   - checkov (PyPI): the security and reliability checks for Kubernetes (non-root, read-only
#     root filesystem, capabilities, probes, requests and limits, network policies…).
# Both are pinned and installed once into a virtualenv outside the tree. Rendering uses
# `kubectl kustomize` (kubectl ships kustomize).
set -euo pipefail
cd "$(dirname "$0")/.."

kubernetes_version=1.31.0
tools="${NEWSTAG_K8S_TOOLS:-${TMPDIR:-/tmp}/newstag-k8s-tools}"
if [ ! -x "$tools/bin/checkov" ] || [ ! -x "$tools/bin/kubernetes-validate" ]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check \
        kubernetes-validate==1.37.0 checkov==3.3.30
fi
if ! command -v kubectl >/dev/null; then
    echo "check-kubernetes: kubectl is needed to render the kustomizations" >&2
    exit 1
fi

rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT
for kustomization in deploy/kubernetes/base deploy/kubernetes/overlays/* deploy/kubernetes/archive-job; do
    name="$(echo "$kustomization" | tr / -)"
    kubectl kustomize "$kustomization" > "$rendered/$name.yaml"
    "$tools/bin/kubernetes-validate" --kubernetes-version "$kubernetes_version" --strict \
        --quiet "$rendered/$name.yaml"
    echo "$kustomization: $(grep -c '^kind:' "$rendered/$name.yaml") objects valid against Kubernetes $kubernetes_version"
done
# --skip-download: no call to the vendor's platform (these machines have no network).
"$tools/bin/checkov" --quiet --compact --skip-download --framework kubernetes \
    --directory "$rendered"
