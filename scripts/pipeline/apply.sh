#!/usr/bin/env bash
# The apply half of a deploy (pipelines only): downloads the plan file the plan job saved, checks that it is the one
# whose SHA-256 the plan job recorded (the plan reviewers approved), and applies exactly it. Terraform refuses a
# saved plan once the state changed after it was made ("Saved plan is stale"), so nothing but that plan is applied;
# there is no --auto-approve. The stack must be synthesized already (the synth job's artifact).
#
# Usage: scripts/pipeline/apply.sh <environment>
#   PLAN_ID, PLAN_CONTAINER, PLAN_DIR   as for plan.sh
# Exit codes: 0 applied; 1 an error, or a plan that is not the recorded one.
set -euo pipefail
env="${1:?usage: apply.sh <environment>}"
: "${PLAN_ID:?PLAN_ID must name this run}"
container="${PLAN_CONTAINER:-tfplans}"
expected="$(cat "${PLAN_DIR:-plan}/${env}.sha256")"
stack="cdktf.out/stacks/${env}"
account="$(jq -er '.terraform.backend.azurerm.storage_account_name' "${stack}/cdk.tf.json")"

# The providers Terraform may install are the committed lock file's, checksums included (locks/README.md).
lock="locks/${env}.terraform.lock.hcl"
if [ ! -f "${lock}" ]; then
  echo "${0##*/}: ${lock} is missing: create it with npm run lock -- ${env} on a workstation that reaches the Terraform registry, and commit it" >&2
  exit 1
fi
cp "${lock}" "${stack}/.terraform.lock.hcl"
terraform -chdir="${stack}" init -input=false -no-color -lockfile=readonly >&2
az storage blob download --auth-mode login --only-show-errors --overwrite true \
  --account-name "${account}" --container-name "${container}" --name "${env}/${PLAN_ID}.tfplan" --file "${stack}/tfplan" >&2
actual="$(cd "${stack}" && sha256sum tfplan | cut -d' ' -f1)"
if [ "${actual}" != "${expected}" ]; then
  echo "apply.sh: ${env}/${PLAN_ID}.tfplan is not the plan that was reviewed (SHA-256 ${actual}, recorded ${expected})" >&2
  exit 1
fi
terraform -chdir="${stack}" apply -input=false -no-color tfplan
rm -f "${stack}/tfplan"
