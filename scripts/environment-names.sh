#!/usr/bin/env bash
# Prints the environments of environments/*.json (or of the directory given) as a JSON array, in deployment
# order: dev first, prod last, the others between by name. The GitHub workflow builds its diff and deploy
# matrices from it, so a new environment file needs no pipeline edit.
set -euo pipefail
dir="${1:-environments}"
for file in "${dir}"/*.json; do
  [ "${file##*/}" = environment.schema.json ] && continue
  name="$(jq -er .name "${file}")"
  case "${name}" in dev) rank=0 ;; prod) rank=2 ;; *) rank=1 ;; esac
  printf '%s %s\n' "${rank}" "${name}"
done | LC_ALL=C sort -k1,1n -k2,2 | cut -d' ' -f2 | jq -Rsc 'split("\n") | map(select(. != ""))'
