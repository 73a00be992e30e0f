#!/usr/bin/env bash
# Runs `tofu validate` (OpenTofu, real provider schemas) on synthesized cdktf stacks.
#
# Usage: scripts/tofu-validate.sh [STACK_DIR...]
#   Without arguments every cdktf.out/stacks/*/ is validated. It does not synthesize: run
#   `npm run synth` first.
#
# Each stack is copied to a temporary directory (so no .terraform or lock file lands in
# cdktf.out), then `tofu init -backend=false -input=false` and `tofu validate -json` run there.
# Tools come from scripts/tofu-tools.sh (built once into ${MFA_HA_TOOLS_CACHE:-~/.cache/mfa-ha-cdktf}).
#
# Exit codes: 0 every stack valid; 1 at least one stack invalid (or its init failed);
#             2 no synthesized stacks to validate; 3 tofu or a provider could not be obtained.
# MFA_HA_VALIDATE_KEEP=1 keeps the temporary copies (their paths are printed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

say() { printf '[validate] %s\n' "$*"; }

stacks=()
if [[ $# -gt 0 ]]; then
  for d in "$@"; do
    [[ -d "$d" ]] || { say "ERROR: '$d' is not a directory"; exit 2; }
    stacks+=("$(cd "$d" && pwd)")
  done
else
  if [[ ! -d "$ROOT/cdktf.out/stacks" ]]; then
    say "ERROR: $ROOT/cdktf.out/stacks does not exist: nothing to validate. Synthesize first (npm run synth)."
    exit 2
  fi
  for d in "$ROOT"/cdktf.out/stacks/*/; do
    [[ -d "$d" ]] && stacks+=("${d%/}")
  done
  if [[ ${#stacks[@]} -eq 0 ]]; then
    say "ERROR: $ROOT/cdktf.out/stacks has no stack directories. Synthesize first (npm run synth)."
    exit 2
  fi
fi

for s in "${stacks[@]}"; do
  if ! compgen -G "$s/*.tf.json" >/dev/null && ! compgen -G "$s/*.tf" >/dev/null; then
    say "ERROR: $s holds no *.tf.json or *.tf file (is it a synthesized stack?)"
    exit 2
  fi
done

# Which providers do the stacks ask for? (terraform.required_providers in their JSON)
needed=$(node -e '
  const fs = require("fs"), path = require("path");
  const names = new Set();
  for (const dir of process.argv.slice(1)) {
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".tf.json"))) {
      const j = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      const tfs = Array.isArray(j.terraform) ? j.terraform : [j.terraform || {}];
      for (const t of tfs) {
        const rps = Array.isArray(t.required_providers) ? t.required_providers : [t.required_providers || {}];
        for (const rp of rps) for (const [k, v] of Object.entries(rp)) {
          const src = (typeof v === "object" && v && v.source) ? v.source : k;
          const ver = (typeof v === "object" && v && v.version) ? v.version : "";
          names.add(src.split("/").pop() + (ver ? "@" + ver : ""));
        }
      }
    }
  }
  console.log([...names].sort().join(" "));
' "${stacks[@]}")

tools=(tofu)
for p in $needed; do
  case "${p%%@*}" in
    azurerm|random|time) tools+=("${p%%@*}") ;;
    *) say "WARNING: the stacks require provider '$p', which scripts/tofu-tools.sh does not provide; its init will fail" ;;
  esac
done
# de-duplicate
mapfile -t tools < <(printf '%s\n' "${tools[@]}" | awk '!seen[$0]++')
say "stacks: ${#stacks[@]}; providers required: ${needed:-none}"

rc=0
"$HERE/tofu-tools.sh" "${tools[@]}" 2>&1 || rc=$?
if [[ $rc -ne 0 ]]; then
  say "ERROR: cannot validate: scripts/tofu-tools.sh failed (exit $rc) to provide ${tools[*]} (reason above)."
  exit 3
fi
eval "$("$HERE/tofu-tools.sh" --env)"
export TF_IN_AUTOMATION=1 TF_INPUT=0

failed=0
keep="${MFA_HA_VALIDATE_KEEP:-0}"
tmps=()
cleanup() { if [[ "$keep" != 1 ]]; then for t in "${tmps[@]:-}"; do [[ -n "$t" ]] && rm -rf "$t"; done; fi; }
trap cleanup EXIT

for s in "${stacks[@]}"; do
  name="$(basename "$s")"
  work="$(mktemp -d "${TMPDIR:-/tmp}/tofu-validate-$name.XXXXXX")"
  tmps+=("$work")
  # the stack without any .terraform dir or lock file from earlier runs (a lock file recorded
  # against the public registry's checksums would not match the locally built providers)
  (cd "$s" && tar --exclude=./.terraform --exclude=./.terraform.lock.hcl -cf - .) | (cd "$work" && tar -xf -)
  [[ "$keep" == 1 ]] && say "$name: working copy in $work"

  t0=$SECONDS
  if ! tofu -chdir="$work" init -backend=false -input=false -no-color >"$work/.init.log" 2>&1; then
    say "$name: INVALID (tofu init failed after $((SECONDS - t0))s)"
    sed 's/^/    /' "$work/.init.log"
    failed=1
    continue
  fi
  vrc=0
  tofu -chdir="$work" validate -json -no-color >"$work/.validate.json" 2>"$work/.validate.err" || vrc=$?
  secs=$((SECONDS - t0))
  summary=$(node -e '
    const fs = require("fs");
    let r;
    try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); }
    catch (e) { console.log("UNPARSABLE"); process.exit(0); }
    const out = [`${r.valid ? "valid" : "INVALID"} (${r.error_count} errors, ${r.warning_count} warnings)`];
    const diags = r.diagnostics || [];
    // errors in full, warnings grouped by summary (cdktf output often repeats one warning many times)
    for (const d of diags.filter((d) => d.severity === "error")) {
      const rng = d.range ? ` at ${d.range.filename}:${d.range.start.line}:${d.range.start.column}` : "";
      out.push(`    error: ${d.summary}${rng}`);
      if (d.address) out.push(`      address: ${d.address}`);
      if (d.detail) out.push(...d.detail.split("\n").map((l) => `      ${l}`));
      if (d.snippet && d.snippet.code) out.push(`      | ${d.snippet.code.trim().slice(0, 240)}`);
    }
    const warns = new Map();
    for (const d of diags.filter((d) => d.severity !== "error")) {
      const k = `${d.summary}: ${(d.detail || "").split("\n")[0]}`;
      warns.set(k, (warns.get(k) || 0) + 1);
    }
    for (const [k, n] of warns) out.push(`    warning (x${n}): ${k}`);
    console.log(out.join("\n"));
  ' "$work/.validate.json")
  first="${summary%%$'\n'*}"
  if [[ "$first" == valid* && $vrc -eq 0 ]]; then
    say "$name: $first [${secs}s]"
    [[ "$summary" == *$'\n'* ]] && printf '%s\n' "${summary#*$'\n'}"
  else
    failed=1
    if [[ "$first" == UNPARSABLE ]]; then
      say "$name: INVALID (tofu validate exit $vrc, output not JSON) [${secs}s]"
      sed 's/^/    /' "$work/.validate.json" "$work/.validate.err"
    else
      say "$name: $first [${secs}s]"
      [[ "$summary" == *$'\n'* ]] && printf '%s\n' "${summary#*$'\n'}"
      [[ -s "$work/.validate.err" ]] && sed 's/^/    stderr: /' "$work/.validate.err"
    fi
  fi
done

if [[ $failed -ne 0 ]]; then
  say "FAILED: at least one stack is invalid"
  exit 1
fi
say "all ${#stacks[@]} stack(s) valid"
