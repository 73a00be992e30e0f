#!/usr/bin/env bash
# Scans the synthesized Terraform of every environment with checkov (static security analysis).
#
# Usage: scripts/scan.sh [STACK_DIR...]          (npm run scan)
#   Without arguments every environment (environments/*.json, or what MFA_HA_CONFIG names) is synthesized
#   into a temporary directory, never into cdktf.out, and each stack's *.tf.json is scanned. With arguments,
#   the given already-synthesized stack directories are scanned instead.
#
# checkov is the version pinned in requirements-scan.txt, installed into .venv/ when missing or different.
# Its settings, and the checks skipped because they contradict the design (each with its reason), are in
# .checkov.yaml. Per stack it prints
#   [scan] prod: 212 passed, 0 failed, 14 skipped (CKV_AZURE_50 x11, ...); 70 of 147 resources checked [5.0s]
# where "skipped" counts the findings of the checks .checkov.yaml skips, then every failed check with its
# Terraform address and construct path.
#
# Exit codes: 0 no failed check; 1 a check failed; 2 nothing to scan (no stack, no *.tf.json, no resource
#             checkov recognised, or a file checkov could not parse); 3 checkov could not be installed or run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
REQUIREMENTS="$ROOT/requirements-scan.txt"
CONFIG="$ROOT/.checkov.yaml"
VENV="$ROOT/.venv"
CHECKOV="$VENV/bin/checkov"

say() { printf '[scan] %s\n' "$*"; }
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
start="$(now)"

# --- checkov, pinned, in the project's virtualenv -----------------------------------------------------------
pinned="$(sed -n 's/^[[:space:]]*checkov[[:space:]]*==[[:space:]]*\([^[:space:];#]*\).*/\1/p' "$REQUIREMENTS")"
if [[ -z "$pinned" ]]; then
  say "ERROR: $REQUIREMENTS does not pin checkov (expected a line checkov==<version>)"
  exit 3
fi
# The installed distribution's version, read without starting checkov (which takes seconds).
installed_version() {
  if [[ -x "$CHECKOV" ]]; then
    "$VENV/bin/python" -c 'from importlib.metadata import version; print(version("checkov"))' 2>/dev/null || true
  fi
}
installed="$(installed_version)"
if [[ "$installed" != "$pinned" ]]; then
  say "installing checkov $pinned into .venv/ (found: ${installed:-none}); this takes about a minute"
  python="${PYTHON:-python3}"
  if ! command -v "$python" >/dev/null; then
    say "ERROR: $python not found: checkov needs Python 3.9 or later (set PYTHON to another interpreter)"
    exit 3
  fi
  log="$(mktemp "${TMPDIR:-/tmp}/mfa-ha-scan-install.XXXXXX")"
  if ! { [[ -x "$VENV/bin/python" ]] || "$python" -m venv "$VENV"; } >"$log" 2>&1 ||
     ! "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet -r "$REQUIREMENTS" >>"$log" 2>&1; then
    say "ERROR: could not install checkov $pinned into $VENV:"
    sed 's/^/    /' "$log"
    rm -f "$log"
    exit 3
  fi
  rm -f "$log"
  installed="$(installed_version)"
  if [[ "$installed" != "$pinned" ]]; then
    say "ERROR: .venv/ holds checkov '${installed:-none}' after installing $pinned"
    exit 3
  fi
fi

# Check ids .checkov.yaml skips: scanned once more on their own, to count (and report) what they suppress.
skipped_ids="$("$VENV/bin/python" -c '
import sys, yaml
ids = (yaml.safe_load(open(sys.argv[1])) or {}).get("skip-check") or []
print(",".join(ids if isinstance(ids, list) else str(ids).split(",")))
' "$CONFIG")"

work="$(mktemp -d "${TMPDIR:-/tmp}/mfa-ha-scan.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- the stacks ---------------------------------------------------------------------------------------------
stacks=()
if [[ $# -gt 0 ]]; then
  for d in "$@"; do
    [[ -d "$d" ]] || { say "ERROR: '$d' is not a directory"; exit 2; }
    stacks+=("$(cd "$d" && pwd)")
  done
else
  say "synthesizing${MFA_HA_CONFIG:+ $MFA_HA_CONFIG} into a temporary directory"
  if ! (cd "$ROOT" && CDKTF_OUTDIR="$work/cdktf.out" npm run --silent synth) 2>"$work/synth.log"; then
    sed 's/^/    /' "$work/synth.log"
    say "ERROR: synthesis failed: nothing scanned"
    exit 2
  fi
  for d in "$work"/cdktf.out/stacks/*/; do
    if [[ -d "$d" ]]; then stacks+=("${d%/}"); fi
  done
  if [[ ${#stacks[@]} -eq 0 ]]; then
    say "ERROR: synthesis wrote no stack: nothing to scan"
    exit 2
  fi
fi
say "checkov $installed, ${#stacks[@]} stack(s), skipping ${skipped_ids:-nothing} (.checkov.yaml)"

# Summarizes one stack's checkov results: prints the progress line and the failed checks, appends the
# skipped ids that still match to $4, and exits 0 (clean), 1 (failed checks) or 2 (nothing scanned).
# shellcheck disable=SC2016  # JavaScript, not shell: its ${...} are template literals
summarize='
const fs = require("fs");
process.on("uncaughtException", (e) => { console.log(`[scan] ERROR: ${e.message}`); process.exit(3); });
const [main, skippedRun, stackDir, matched, seconds] = process.argv.slice(1);
const reports = (file) => { const j = JSON.parse(fs.readFileSync(file, "utf8")); return Array.isArray(j) ? j : [j]; };
const results = (rs, kind) => rs.flatMap((r) => (r.results && r.results[kind]) || []);
const sum = (rs, key) => rs.reduce((n, r) => n + ((r.summary && r.summary[key]) || 0), 0);

// Terraform address and construct path of every resource, from the synthesized JSON.
const where = new Map();
let total = 0;
for (const f of fs.readdirSync(stackDir).filter((f) => f.endsWith(".tf.json"))) {
  let tf;
  try { tf = JSON.parse(fs.readFileSync(`${stackDir}/${f}`, "utf8")); } catch { continue; } // checkov reports it
  for (const [type, byId] of Object.entries(tf.resource || {})) {
    for (const [id, body] of Object.entries(byId)) {
      total++;
      const path = body["//"] && body["//"].metadata && body["//"].metadata.path;
      where.set(id, `${type}.${id}${path ? ` (${path})` : ""}`);
    }
  }
}
const addressOf = (r) => where.get(r.resource.slice(r.resource.indexOf(".") + 1)) || r.resource;

const rs = reports(main);
const passed = results(rs, "passed_checks"), failed = results(rs, "failed_checks");
const suppressed = skippedRun ? results(reports(skippedRun), "failed_checks") : [];
const byId = new Map();
for (const r of suppressed) byId.set(r.check_id, (byId.get(r.check_id) || 0) + 1);
fs.appendFileSync(matched, [...byId.keys()].map((id) => `${id}\n`).join(""));
const checked = new Set([...passed, ...failed].map((r) => r.resource)).size;
const name = stackDir.split("/").pop();
const skippedText = byId.size ? ` (${[...byId].map(([id, n]) => `${id} x${n}`).join(", ")})` : "";
console.log(`[scan] ${name}: ${passed.length} passed, ${failed.length} failed, ${suppressed.length} skipped${skippedText}; ` +
  `${checked} of ${total} resources checked [${seconds}]`);
for (const r of failed) {
  console.log(`    FAILED ${r.check_id} ${r.check_name}\n      ${addressOf(r)}`);
}
const parseErrors = sum(rs, "parsing_errors");
if (parseErrors > 0) {
  console.log(`[scan] ${name}: ERROR: checkov could not parse ${parseErrors} file(s): ${results(rs, "parsing_errors").join(", ")}`);
  process.exit(2);
}
if (passed.length + failed.length === 0) {
  console.log(`[scan] ${name}: ERROR: checkov found no resources to scan (${total} in the stack): is it a Terraform JSON stack?`);
  process.exit(2);
}
process.exit(failed.length > 0 ? 1 : 0);
'

worst=0
: >"$work/matched-skips"
for s in "${stacks[@]}"; do
  name="$(basename "$s")"
  files=()
  for f in "$s"/*.tf.json; do
    if [[ -f "$f" ]]; then files+=("$f"); fi
  done
  if [[ ${#files[@]} -eq 0 ]]; then
    say "$name: ERROR: $s holds no *.tf.json file (is it a synthesized stack?)"
    worst=2
    continue
  fi
  out="$work/results/$name"
  mkdir -p "$out"
  t0="$(now)"
  # The main scan and the scan of the skipped checks run side by side.
  (cd "$ROOT" && "$CHECKOV" --config-file "$CONFIG" -f "${files[@]}" -o json >"$out/main.json" 2>"$out/main.err") &
  main_pid=$!
  skipped_json=""
  if [[ -n "$skipped_ids" ]]; then
    skipped_json="$out/skipped.json"
    (cd "$ROOT" && "$CHECKOV" --config-file "$CONFIG" -f "${files[@]}" --check "$skipped_ids" --skip-check '' -o json \
      >"$skipped_json" 2>"$out/skipped.err") &
    skipped_pid=$!
  fi
  # checkov exits 1 when a check failed; anything else but 0 means it did not run through.
  ran=1
  rc=0; wait "$main_pid" || rc=$?
  if [[ $rc -gt 1 ]]; then ran=0; say "$name: ERROR: checkov exited $rc"; sed 's/^/    /' "$out/main.err"; fi
  if [[ -n "$skipped_json" ]]; then
    rc=0; wait "$skipped_pid" || rc=$?
    if [[ $rc -gt 1 ]]; then ran=0; say "$name: ERROR: checkov (skipped checks) exited $rc"; sed 's/^/    /' "$out/skipped.err"; fi
  fi
  if [[ $ran -eq 0 ]]; then
    worst=3
    continue
  fi
  src=0
  node -e "$summarize" "$out/main.json" "$skipped_json" "$s" "$work/matched-skips" "$(since "$t0")" || src=$?
  if [[ $src -gt 2 ]]; then
    say "$name: ERROR: unreadable checkov output:"
    sed 's/^/    /' "$out/main.json" "$out/main.err" | head -40
  fi
  if [[ $src -gt $worst ]]; then worst=$src; fi
done

# A skip that no stack needs any longer is noise: say so (the scan itself still passes).
if [[ -n "$skipped_ids" && $worst -le 1 ]]; then
  IFS=',' read -r -a ids <<<"$skipped_ids"
  for id in "${ids[@]}"; do
    grep -qx "$id" "$work/matched-skips" || say "note: .checkov.yaml skips $id, which no scanned stack fails any more: remove it"
  done
fi

case $worst in
  0) say "passed: no failed check in ${#stacks[@]} stack(s) [$(since "$start")]" ;;
  1) say "FAILED: fix the constructs, or skip a check that contradicts the design in .checkov.yaml with its reason [$(since "$start")]" ;;
  *) say "ERROR: the scan did not complete [$(since "$start")]" ;;
esac
exit "$worst"
