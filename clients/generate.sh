#!/usr/bin/env bash
# Generates the TypeScript and Python SDK stubs from protos/ with protos/buf.gen.yaml (local plugins only).
#   clients/generate.sh          write clients/typescript/src/gen and clients/python/src/creditexchange_client/_gen
#   clients/generate.sh --check  generate into a scratch folder and fail when it differs from the committed output
# Both also carry the SDK version, clients/VERSION, into the TypeScript and Python manifests (the C# project reads the
# file itself): bump clients/VERSION with the contract, run this, commit.
# Needs: buf (npm ci at the repository root), protoc-gen-es (npm ci in clients/typescript), protoc and
# grpc_python_plugin (Debian protobuf-compiler, protobuf-compiler-grpc). tests/test.sh installs all of them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

buf=node_modules/.bin/buf
[[ -x "$buf" ]] || { echo "generate.sh: $buf is missing: run npm ci at the repository root" >&2; exit 1; }
[[ -x clients/typescript/node_modules/.bin/protoc-gen-es ]] || { echo "generate.sh: run npm ci in clients/typescript" >&2; exit 1; }
for tool in /usr/bin/protoc /usr/bin/grpc_python_plugin; do
  [[ -x "$tool" ]] || { echo "generate.sh: $tool is missing: apt-get install protobuf-compiler protobuf-compiler-grpc" >&2; exit 1; }
done

outputs=(clients/typescript/src/gen clients/python/src/creditexchange_client/_gen)

# --- the SDK version: clients/VERSION into package.json, package-lock.json and pyproject.toml ----------------------
version="$(tr -d '[:space:]' < clients/VERSION)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "generate.sh: clients/VERSION is not a version: $version" >&2; exit 1; }
# Prints the files whose version differs; with "write", rewrites them first.
sync_version() {
  local mode="$1"
  node - "$version" "$mode" <<'JS' || return 1
const fs = require("node:fs");
const [version, mode] = process.argv.slice(2);
for (const file of ["clients/typescript/package.json", "clients/typescript/package-lock.json"]) {
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  const lockRoot = json.packages && json.packages[""];
  if (json.version === version && (!lockRoot || lockRoot.version === version)) continue;
  if (mode !== "write") { console.log(file); continue; }
  json.version = version;
  if (lockRoot) lockRoot.version = version;
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + "\n");
}
JS
  local pyproject=clients/python/pyproject.toml
  if ! grep -q -x "version = \"$version\"" "$pyproject"; then
    if [[ "$mode" == write ]]; then
      sed -i "s/^version = \".*\"$/version = \"$version\"/" "$pyproject"
    else
      echo "$pyproject"
    fi
  fi
}

# The Python stubs import each other as top-level packages (creditexchange.records.v1, buf.validate,
# google.rpc); the SDK puts _gen on sys.path. Empty __init__.py files are not generated: namespace packages.
if [[ "${1:-}" == "--check" ]]; then
  stale="$(sync_version check)"
  if [[ -n "$stale" ]]; then
    echo "generate.sh: the SDK version is not clients/VERSION ($version) in:" $stale >&2
    echo "generate.sh: run clients/generate.sh and commit the result" >&2
    exit 1
  fi
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  "$buf" generate protos --template protos/buf.gen.yaml -o "$scratch"
  status=0
  for out in "${outputs[@]}"; do
    if ! diff -r -q "$scratch/$out" "$out" >/dev/null 2>&1; then
      echo "generate.sh: $out differs from what protos/ generates:" >&2
      diff -r "$scratch/$out" "$out" | head -40 >&2 || true
      status=1
    fi
  done
  if (( status != 0 )); then
    echo "generate.sh: run clients/generate.sh and commit the result" >&2
  fi
  exit "$status"
fi

sync_version write
"$buf" generate protos --template protos/buf.gen.yaml
echo "version: $version (clients/VERSION)"
echo "generated: ${outputs[*]}"
