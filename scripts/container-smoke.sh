#!/usr/bin/env bash
# Builds newstag's container image offline and smoke-tests it with podman:
#   1. a static (musl) binary built by cargo, no base image pulled;
#   2. the Containerfile's `prebuilt` stage: that binary on `scratch`, user 65532;
#   3. the image has no shell, runs read-only with every capability dropped;
#   4. health SERVING, a Tag of the seed article, /readyz and /metrics;
#   5. SIGTERM: the server drains and exits 0 within its grace.
#
# Needs: rustup's x86_64-unknown-linux-musl target, Debian's musl-tools, podman and runc
# (`apt-get install podman runc musl-tools`). The OCI runtime is runc (NEWSTAG_OCI_RUNTIME to
# change it). In sandboxes that forbid raising RLIMIT_NOFILE, containers start only without
# podman's default ulimits: unless CONTAINERS_CONF is set, the script points it at a file
# that says `default_ulimits = []`.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime="${NEWSTAG_OCI_RUNTIME:-runc}"
image="${NEWSTAG_IMAGE:-localhost/newstag:smoke}"
grace=10
name="newstag-smoke-$$"
if [ -z "${CONTAINERS_CONF:-}" ]; then
    CONTAINERS_CONF="$(mktemp)"
    printf '[containers]\ndefault_ulimits = []\n' > "$CONTAINERS_CONF"
    export CONTAINERS_CONF
fi
pod() { podman --runtime "$runtime" "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "static binary (cargo, x86_64-unknown-linux-musl)"
CC_x86_64_unknown_linux_musl="${CC_x86_64_unknown_linux_musl:-musl-gcc}" \
    cargo build --release --locked --target x86_64-unknown-linux-musl
binary=target/x86_64-unknown-linux-musl/release/newstag
file "$binary" | grep -qE "static(-pie)? linked" || { file "$binary"; echo "not static" >&2; exit 1; }
ls -l "$binary" | awk '{printf "binary: %.1f MB, static\n", $5 / 1e6}'

step "image (Containerfile, stage prebuilt, FROM scratch)"
pod build --quiet --target prebuilt -t "$image" . >/dev/null
pod image inspect "$image" --format 'image: {{.Id}} size {{.Size}} bytes, user {{.Config.User}}, entrypoint {{.Config.Entrypoint}} {{.Config.Cmd}}'
if shell=$(pod run --rm --entrypoint /bin/sh "$image" -c true 2>&1); then
    echo "the image has a shell" >&2
    exit 1
fi
echo "$shell" | grep -q 'stat /bin/sh: no such file' || { echo "$shell" >&2; exit 1; }
echo "no shell: stat /bin/sh: no such file or directory"

step "run (read-only root, no capabilities, no new privileges)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
grpc_port="$(free_port)"
metrics_port="$(free_port)"
trap 'pod rm -f "$name" >/dev/null 2>&1 || true' EXIT
pod run -d --name "$name" --network host --read-only --cap-drop ALL \
    --security-opt no-new-privileges "$image" serve \
    --listen "127.0.0.1:$grpc_port" --metrics-listen "127.0.0.1:$metrics_port" \
    --admin-listen 127.0.0.1:0 --shutdown-grace "${grace}s" >/dev/null
pod inspect "$name" --format 'container: user {{.Config.User}}, read-only {{.HostConfig.ReadonlyRootfs}}'
server="http://127.0.0.1:$grpc_port"

step "health"
started=$(date +%s.%N)
"$binary" client --server "$server" health --wait 60s
echo "SERVING after $(python3 -c "print(f'{$(date +%s.%N) - $started:.2f}')") s"

step "Tag of the seed article"
"$binary" client --server "$server" tag --id seed \
    --title "Putin demands Western guarantees that NATO will not expand east" \
    tests/fixtures/seed-article.txt > "/tmp/$name.json"
python3 - "/tmp/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
top = [(e["id"], e["name"], e["relevance"]) for e in r["entities"][:4]]
for t in top:
    print("  %-16s %-20s %.4f" % t)
print("  topics:", ", ".join(t["label"] for t in r["topics"][:3]))
assert [t[0] for t in top[:2]] == ["country:UA", "country:RU"], top
PY
rm -f "/tmp/$name.json"

step "/readyz and /metrics"
curl -fsS "http://127.0.0.1:$metrics_port/readyz"
curl -fsS "http://127.0.0.1:$metrics_port/metrics" | grep -E '^grpc_server_handled_total\{.*"Tag",grpc_code="OK"\} 1$'

step "SIGTERM drain"
started=$(date +%s.%N)
pod stop --time $((grace + 5)) "$name" >/dev/null
elapsed=$(python3 -c "print(f'{$(date +%s.%N) - $started:.2f}')")
code=$(pod inspect "$name" --format '{{.State.ExitCode}}')
echo "exited $code after ${elapsed} s (grace ${grace} s)"
pod logs "$name" 2>&1 | tail -n 4
[ "$code" = 0 ] || { echo "exit code $code" >&2; exit 1; }
python3 -c "import sys; sys.exit(0 if $elapsed < $grace else 1)" || { echo "slower than the grace" >&2; exit 1; }
echo
echo "container smoke test passed"
