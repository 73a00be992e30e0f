#!/usr/bin/env bash
# Consumes the construct library the way another project does, and synthesizes examples/own-stack with it.
#
# Usage: bash scripts/consume-library.sh            (CI: .ci/run)
#   1. npm run build: lib/ with a .d.ts beside every .js (tsconfig.build.json).
#   2. npm pack: the tarball a release would ship (package.json `files`), checked to hold lib/index.js and
#      lib/index.d.ts and no source, test or environment file.
#   3. A scratch project outside the repository installs the tarball and the peers at the exact versions the
#      tests run on (package.json devDependencies), from npm's cache where it can.
#   4. The example's TypeScript is copied there unchanged, type-checked against the installed declarations
#      (resolved by package name through the `exports` map) and compiled; `node dist/main.js` synthesizes its stacks.
#      A deep import (`mfa-ha-cdktf/lib/...`) must fail: the exports map keeps the internals internal.
#
# Exit codes: 0 synthesized; 1 a step failed (its output is shown).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$ROOT/examples/own-stack"
say() { printf '[library] %s\n' "$*"; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$ROOT"

say 'build (npm run build)'
rm -rf lib
npm run build --loglevel=error
test -f lib/index.d.ts || { say 'lib/index.d.ts is missing: the build emits no declarations'; exit 1; }

say 'pack (npm pack)'
tarball="$(npm pack --pack-destination "$scratch" --json --loglevel=error | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')"
packed="$(tar -tzf "$scratch/$tarball")"
for required in package/lib/index.js package/lib/index.d.ts package/docs/library.md; do
  grep -qx "$required" <<<"$packed" || { say "the tarball lacks $required"; exit 1; }
done
if grep -E '^package/(test|environments|scripts|constructs|config|stacks|tools)/|\.ts$' <<<"$packed" | grep -v '\.d\.ts$'; then
  say 'the tarball ships the files above, which are not the build output'
  exit 1
fi
say "$tarball: $(wc -l <<<"$packed") files"

say 'install it into a scratch project, with the peers at the tested versions'
peers="$(node -p 'const p = require("./package.json"); Object.keys(p.peerDependencies).map((n) => `${n}@${p.devDependencies[n]}`).join(" ")')"
types_node="@types/node@$(node -p 'require("./package.json").devDependencies["@types/node"]')"
cd "$scratch"
printf '{ "name": "own-stack", "private": true }\n' > package.json
# shellcheck disable=SC2086 # one word per package
npm install --prefer-offline --no-audit --no-fund --ignore-scripts --loglevel=error "./$tarball" $peers "$types_node"
cp "$EXAMPLE"/*.ts "$EXAMPLE/tsconfig.json" .

if node -e 'require("mfa-ha-cdktf/lib/constructs/adfs-farm")' 2>/dev/null; then
  say 'a deep import (mfa-ha-cdktf/lib/constructs/adfs-farm) resolves: the exports map must refuse it'
  exit 1
fi

say 'type-check and compile the example against the installed declarations'
node "$ROOT/node_modules/typescript/bin/tsc" -p tsconfig.json --noEmit false --outDir dist

say 'synthesize it (node dist/main.js)'
CDKTF_OUTDIR="$scratch/cdktf.out" node dist/main.js
for stack in perimeter lab; do
  test -s "cdktf.out/stacks/$stack/cdk.tf.json" || { say "no cdk.tf.json for stack $stack"; exit 1; }
done
say "synthesized: $(ls cdktf.out/stacks | tr '\n' ' ')"
