#!/usr/bin/env bash
# Builds (once) and caches the tools that `tofu validate` needs, outside the repo:
#   - OpenTofu (`tofu`), built from the Go module proxy through a generated wrapper module
#   - the Terraform providers the synthesized stacks use (hashicorp/azurerm, hashicorp/random,
#     hashicorp/time), laid out as an unpacked filesystem mirror
#   - a CLI config file that points OpenTofu at that mirror (export TF_CLI_CONFIG_FILE to it)
#
# Terraform CLI: the mirror holds every provider twice, under registry.opentofu.org (OpenTofu's default
# registry host) and under registry.terraform.io (Terraform's), as real directories whose binaries are hard
# links (copies where the file system has none), and the CLI config names both hosts. A symlink from one host
# directory to the other is not enough: Terraform 1.11.4 does not follow it and `terraform init` reports that
# hashicorp/random is in no search location. With TF_CLI_CONFIG_FILE set, `terraform init -backend=false` should
# then find azurerm, random and time in the mirror. This follows Terraform's documented unpacked mirror layout
# (HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET, "CLI Configuration File", provider_installation); it has not been run
# with a Terraform binary here (none can be installed on the CI machine).
#
# Usage: scripts/tofu-tools.sh [tofu] [azurerm] [random] [time]   (no arguments: all four)
#        scripts/tofu-tools.sh --env    print `export ...` lines for the current cache (builds nothing)
#
# Cache: ${MFA_HA_TOOLS_CACHE:-$HOME/.cache/mfa-ha-cdktf}. Only what is missing is built.
# MFA_HA_GO_BUILD_P=1 limits go build to one package at a time (less memory, slower).
#
# A provider is taken from the first of these that has it:
#   1. the mirror in the cache (already there)
#   2. MFA_HA_AZURERM_PROVIDER_BIN / MFA_HA_RANDOM_PROVIDER_BIN / MFA_HA_TIME_PROVIDER_BIN: a ready binary of that version
#   3. an existing unpacked plugin dir (~/.terraform.d/plugins, /opt/tf-plugins, ...) holding that version
#   4. a build from the Go module proxy (wrapper module requiring the provider at a fixed commit)
#
# Exit codes: 0 all requested tools ready; 3 a tool could not be obtained or built (message says why);
#             1 unexpected error.
set -euo pipefail

CACHE="${MFA_HA_TOOLS_CACHE:-$HOME/.cache/mfa-ha-cdktf}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"

TOFU_VERSION="${MFA_HA_TOFU_VERSION:-v1.12.6}"
AZURERM_VERSION="4.55.0"
# tag v4.55.0; the module path has no /v4, so Go needs the commit (turned into a pseudo-version)
AZURERM_GO_REF="${MFA_HA_AZURERM_GO_REF:-37bf7f03b661b804a59fd62fd6f6e6b8ee4a69df}"
RANDOM_VERSION="3.7.2"   # what @cdktf/provider-random 12.0.1 pins in the synthesized JSON
# tag v3.7.2; the module path has no /v3 either, so this must be that tag's commit for Go to accept it
RANDOM_GO_REF="${MFA_HA_RANDOM_GO_REF:-v3.7.2}"
TIME_VERSION="0.13.1"    # what constructs/time-sleep.ts pins (TIME_PROVIDER)
TIME_GO_REF="${MFA_HA_TIME_GO_REF:-v0.13.1}"

OS_ARCH="$(go env GOOS 2>/dev/null || echo linux)_$(go env GOARCH 2>/dev/null || echo amd64)"
BIN_DIR="$CACHE/bin"
MIRROR="$CACHE/mirror"
WRAP_DIR="$CACHE/wrappers"
LOG_DIR="$CACHE/logs"
CLI_CONFIG="$CACHE/tofu.tfrc"
TOFU_BIN="$BIN_DIR/tofu"
REGISTRY_HOST="registry.opentofu.org"
# Terraform's default registry host: the mirror holds the same providers under it too
TERRAFORM_HOST="registry.terraform.io"
PROVIDERS=(azurerm random time)

say() { printf '[validate] %s\n' "$*" >&2; }
die() { local code="$1"; shift; printf '[validate] ERROR: %s\n' "$*" >&2; exit "$code"; }

mirror_path() { # name version
  printf '%s/%s/hashicorp/%s/%s/%s/terraform-provider-%s_v%s' \
    "$MIRROR" "$REGISTRY_HOST" "$1" "$2" "$OS_ARCH" "$1" "$2"
}

print_env() {
  cat <<EOF
export TF_CLI_CONFIG_FILE='$CLI_CONFIG'
export PATH='$BIN_DIR':"\$PATH"
export CHECKPOINT_DISABLE=1
EOF
}

if [[ "${1:-}" == "--env" ]]; then print_env; exit 0; fi

want_tofu=0 want_azurerm=0 want_random=0 want_time=0
if [[ $# -eq 0 ]]; then want_tofu=1 want_azurerm=1 want_random=1 want_time=1; fi
for a in "$@"; do
  case "$a" in
    tofu) want_tofu=1 ;;
    azurerm) want_azurerm=1 ;;
    random) want_random=1 ;;
    time) want_time=1 ;;
    *) die 1 "unknown tool '$a' (expected: tofu, azurerm, random, time)" ;;
  esac
done

command -v go >/dev/null 2>&1 || die 3 "'go' is not on PATH; it is needed to build OpenTofu and the providers"

# Go builds use their own module and build caches inside $CACHE, so the cache is self-contained.
export GOPATH="$CACHE/go"
export GOMODCACHE="$CACHE/go/mod"
export GOCACHE="$CACHE/go/build"
export GOFLAGS="-modcacherw -buildvcs=false"
export CGO_ENABLED=0
export GOWORK=off
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
mkdir -p "$BIN_DIR" "$MIRROR" "$WRAP_DIR" "$LOG_DIR"

# run_step LABEL CMD...: runs CMD, logs its output to $LOG_DIR/LABEL.log, measures it with
# /usr/bin/time -v when present (report in $LOG_DIR/LABEL.time), prints elapsed time and peak RSS.
run_step() {
  local label="$1"; shift
  local log="$LOG_DIR/$label.log" tfile="$LOG_DIR/$label.time" start rc=0
  start=$(date +%s)
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -v -o "$tfile" "$@" >"$log" 2>&1 || rc=$?
  else
    "$@" >"$log" 2>&1 || rc=$?
    : >"$tfile"
  fi
  local secs=$(( $(date +%s) - start )) rss=""
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MiB", $2/1024}' "$tfile" 2>/dev/null || true)
  say "  $label: exit $rc after ${secs}s${rss:+, peak RSS of largest process $rss} (log: $log)"
  if [[ $rc -ne 0 ]]; then
    echo "----- last 40 lines of $log -----" >&2
    tail -n 40 "$log" >&2 || true
    echo "-----" >&2
  fi
  return $rc
}

# copy_directives SRC_GOMOD: prints the replace and godebug directives of a go.mod (single-line and
# block forms). Replacements to local paths cannot work outside that repo and are dropped (warned).
copy_directives() {
  awk '
    /^[[:space:]]*(replace|godebug)[[:space:]]*\(/ { inblk=1; kw=$1; sub(/\(.*/, "", kw); print; next }
    inblk { print; if ($0 ~ /^[[:space:]]*\)/) inblk=0; next }
    /^[[:space:]]*(replace|godebug)[[:space:]]/ { print }
  ' "$1" | awk '
    /=>[[:space:]]*\.{1,2}\// { print "// dropped local replace: " $0; next }
    { print }
  '
}

# build_go_main NAME MODULE REF PKG OUT LDFLAGS: resolves MODULE@REF through the Go proxy, writes a
# wrapper module in $WRAP_DIR/NAME that requires it (with its replace/godebug directives copied),
# downloads what PKG needs and builds PKG to OUT.
build_go_main() {
  local name="$1" module="$2" ref="$3" pkg="$4" out="$5" ldflags="$6"
  local wdir="$WRAP_DIR/$name" info version gomod godirective
  rm -rf "$wdir"; mkdir -p "$wdir"

  say "  resolving $module@$ref via $(go env GOPROXY)"
  if ! info=$(cd "$wdir" && GOFLAGS="$GOFLAGS" go list -m -json "$module@$ref" 2>&1); then
    echo "$info" >&2
    die 3 "the Go module proxy would not give $module@$ref (see the message above), so $name cannot be built here"
  fi
  version=$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Version": "\(.*\)",\{0,1\}$/\1/p' | head -n1)
  [[ -n "$version" ]] || die 3 "could not read a version for $module@$ref from: $info"
  say "  $module@$ref = $version"
  printf '%s\n' "$version" >"$wdir/RESOLVED_VERSION"

  # the target module's own go.mod, to copy its replace and godebug directives and its go version
  ( cd "$wdir" && go mod download "$module@$version" ) >"$LOG_DIR/$name-gomod.log" 2>&1 \
    || { cat "$LOG_DIR/$name-gomod.log" >&2; die 3 "could not download $module@$version"; }
  gomod="$GOMODCACHE/cache/download/$(go_escape "$module")/@v/$version.mod"
  [[ -f "$gomod" ]] || die 3 "go.mod of $module@$version not found at $gomod"
  godirective=$(awk '$1=="go" {print $2; exit}' "$gomod")
  {
    echo "module mfa-ha-tools/$name"
    echo
    echo "go ${godirective:-1.22}"
    echo
    echo "require $module $version"
    echo
    echo "// copied from $module@$version go.mod:"
    copy_directives "$gomod"
  } >"$wdir/go.mod"
  say "  wrapper module: $wdir/go.mod ($(grep -c '=>' "$wdir/go.mod" || true) replace line(s) copied)"

  say "  downloading the modules $pkg needs"
  run_step "$name-download" env -C "$wdir" go get "$pkg@$version" \
    || die 3 "downloading the dependencies of $pkg@$version failed (log: $LOG_DIR/$name-download.log)"

  say "  compiling $pkg (started $(date '+%H:%M:%S'))"
  mkdir -p "$(dirname "$out")"
  run_step "$name-build" env -C "$wdir" go build ${MFA_HA_GO_BUILD_P:+-p "$MFA_HA_GO_BUILD_P"} -trimpath \
      -ldflags="$ldflags" -o "$out.tmp" "$pkg" \
    || { rm -f "$out.tmp"; die 3 "building $pkg@$version failed (log: $LOG_DIR/$name-build.log)"; }
  mv "$out.tmp" "$out"
}

# module path escaping as in the Go module cache (uppercase -> !lowercase)
go_escape() { printf '%s' "$1" | sed 's/\([A-Z]\)/!\L\1/g'; }

# find_existing_provider NAME VERSION: prints a ready binary found in a usual unpacked plugin dir
find_existing_provider() {
  local name="$1" version="$2" d host f
  for d in "$HOME/.terraform.d/plugins" "$HOME/.local/share/terraform/plugins" \
           "$HOME/.local/share/opentofu/plugins" /usr/local/share/terraform/plugins \
           /usr/share/terraform/plugins /opt/tf-plugins; do
    for host in registry.opentofu.org registry.terraform.io; do
      for f in "$d/$host/hashicorp/$name/$version/$OS_ARCH/terraform-provider-${name}_v${version}"*; do
        if [[ -f "$f" && -x "$f" ]]; then printf '%s\n' "$f"; return 0; fi
      done
    done
  done
  return 1
}

# ensure_provider NAME VERSION MODULE REF ENVVAR
ensure_provider() {
  local name="$1" version="$2" module="$3" ref="$4" envvar="$5"
  local dest src
  dest="$(mirror_path "$name" "$version")"
  if [[ -x "$dest" ]]; then
    say "$name provider $version: cached at $dest"; return 0
  fi
  src="${!envvar:-}"
  if [[ -n "$src" ]]; then
    [[ -f "$src" ]] || die 3 "$envvar=$src does not exist"
    say "$name provider $version: taking $src (from $envvar)"
    mkdir -p "$(dirname "$dest")"; cp "$src" "$dest.tmp" && chmod +x "$dest.tmp" && mv "$dest.tmp" "$dest"; return 0
  fi
  if src=$(find_existing_provider "$name" "$version"); then
    say "$name provider $version: taking existing $src"
    mkdir -p "$(dirname "$dest")"; cp "$src" "$dest.tmp" && chmod +x "$dest.tmp" && mv "$dest.tmp" "$dest"; return 0
  fi
  local t0=$SECONDS
  say "building $name provider $version from $module@$ref (this takes a while)…"
  build_go_main "provider-$name" "$module" "$ref" "$module" "$dest" "-s -w -X main.version=$version" \
    || die 3 "$name provider $version could not be built"
  say "$name provider $version: built in $((SECONDS - t0))s -> $dest ($(du -h "$dest" | cut -f1))"
}

ensure_tofu() {
  if [[ -x "$TOFU_BIN" ]]; then
    say "tofu: cached at $TOFU_BIN ($(TF_CLI_CONFIG_FILE=/dev/null "$TOFU_BIN" version 2>/dev/null | grep -m1 "^OpenTofu" || true))"; return 0
  fi
  local t0=$SECONDS
  say "building OpenTofu $TOFU_VERSION (a few minutes)…"
  build_go_main "tofu" github.com/opentofu/opentofu "$TOFU_VERSION" \
    github.com/opentofu/opentofu/cmd/tofu "$TOFU_BIN" \
    "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    || die 3 "OpenTofu could not be built"
  say "tofu: built in $((SECONDS - t0))s -> $TOFU_BIN ($(TF_CLI_CONFIG_FILE=/dev/null "$TOFU_BIN" version 2>/dev/null | grep -m1 "^OpenTofu" || true))"
}

# mirror_for_terraform: the providers of the mirror under registry.terraform.io as well, as real directories
# with hard-linked (or copied) binaries; an old symlink from that host to registry.opentofu.org is replaced.
mirror_for_terraform() {
  local tf="$MIRROR/$TERRAFORM_HOST" f rel target
  [[ -L "$tf" ]] && rm -f "$tf"
  [[ -d "$MIRROR/$REGISTRY_HOST" ]] || return 0
  while IFS= read -r -d '' f; do
    rel="${f#"$MIRROR/$REGISTRY_HOST/"}"
    target="$tf/$rel"
    [[ -x "$target" ]] && continue
    mkdir -p "$(dirname "$target")"
    ln -f "$f" "$target" 2>/dev/null || cp -p "$f" "$target"
  done < <(find "$MIRROR/$REGISTRY_HOST" -type f -name 'terraform-provider-*' -print0)
}

write_cli_config() {
  local inc="" p h
  for h in "$REGISTRY_HOST" "$TERRAFORM_HOST"; do
    for p in "${PROVIDERS[@]}"; do inc+="${inc:+, }\"$h/hashicorp/$p\""; done
  done
  local tmp="$CLI_CONFIG.tmp"
  cat >"$tmp" <<EOF
# Generated by scripts/tofu-tools.sh: OpenTofu (registry.opentofu.org) and Terraform (registry.terraform.io)
# take azurerm, random and time only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = [$inc]
  }
  direct {
    exclude = [$inc]
  }
}
EOF
  mv "$tmp" "$CLI_CONFIG"
  mirror_for_terraform
}

T_ALL=$SECONDS
say "tools cache: $CACHE"
if [[ $want_tofu -eq 1 ]]; then ensure_tofu; fi
if [[ $want_azurerm -eq 1 ]]; then
  ensure_provider azurerm "$AZURERM_VERSION" github.com/hashicorp/terraform-provider-azurerm \
    "$AZURERM_GO_REF" MFA_HA_AZURERM_PROVIDER_BIN
fi
if [[ $want_random -eq 1 ]]; then
  ensure_provider random "$RANDOM_VERSION" github.com/hashicorp/terraform-provider-random \
    "$RANDOM_GO_REF" MFA_HA_RANDOM_PROVIDER_BIN
fi
if [[ $want_time -eq 1 ]]; then
  ensure_provider time "$TIME_VERSION" github.com/hashicorp/terraform-provider-time \
    "$TIME_GO_REF" MFA_HA_TIME_PROVIDER_BIN
fi
write_cli_config
say "ready after $((SECONDS - T_ALL))s: tofu=$TOFU_BIN mirror=$MIRROR cli-config=$CLI_CONFIG"
say "to use by hand: eval \"\$(scripts/tofu-tools.sh --env)\""
