#!/usr/bin/env bash
# The plan half of a deploy (pipelines only): `terraform plan` of one synthesized stack, saved to a file, uploaded
# to the plan container beside the state, and its SHA-256 written for the apply job, which applies exactly that
# file after a person approved it. Runs in a job of its own, in a protected environment, with an identity that
# reads the state (-lock=false: it takes no lease, so it needs no write access to the state) and writes plans.
# The stack must be synthesized already (cdktf.out/stacks/<env>, from the synth job's artifact): this job runs no
# project code and installs no package.
#
# Usage: scripts/pipeline/plan.sh <environment>
#   PLAN_ID         required: the run's id (github.run_id, Build.BuildId); the blob is <environment>/<PLAN_ID>.tfplan
#   PLAN_CONTAINER  blob container of the plans in the state's storage account (default tfplans)
#   PLAN_DIR        where the SHA-256 file goes (default plan): plan/<environment>.sha256
# Prints the plan as text (sensitive values redacted by terraform show) on stdout.
# Exit codes: 0 planned (with or without changes); 1 an error.
set -euo pipefail
env="${1:?usage: plan.sh <environment>}"
: "${PLAN_ID:?PLAN_ID must name this run}"
container="${PLAN_CONTAINER:-tfplans}"
out="${PLAN_DIR:-plan}"
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

# One migration stage at a time (constructs/migration-stages.ts, in this order): the stage Terraform last applied is
# the state's migration_stage output (none: mfa-server); a state with no resources was never deployed and may start
# at any stage. A skip would remove blocks whose prevent_destroy went with them, so it is refused before planning.
stages=(mfa-server parallel entra retiring decommissioned)
stage_index() { local i; for i in "${!stages[@]}"; do [ "${stages[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -99; }
wanted="$(jq -r '.output.migration_stage.value // "mfa-server"' "${stack}/cdk.tf.json")"
if [ -n "$(terraform -chdir="${stack}" state list -no-color 2>/dev/null | head -n 1)" ]; then
  applied="$(terraform -chdir="${stack}" output -no-color -raw migration_stage 2>/dev/null || echo mfa-server)"
  step=$(( $(stage_index "${wanted}") - $(stage_index "${applied}") ))
  if [ "${step}" -gt 1 ] || [ "${step}" -lt -1 ]; then
    echo "${0##*/}: migration.stage must move one stage at a time: the state of ${env} has \"${applied}\", got \"${wanted}\"" >&2
    exit 1
  fi
fi

status=0
terraform -chdir="${stack}" plan -input=false -no-color -lock=false -detailed-exitcode -out=tfplan >&2 || status=$?
# -detailed-exitcode: 0 no changes, 2 changes, 1 an error.
[ "${status}" -eq 0 ] || [ "${status}" -eq 2 ] || exit 1
terraform -chdir="${stack}" show -no-color tfplan

mkdir -p "${out}"
(cd "${stack}" && sha256sum tfplan | cut -d' ' -f1) > "${out}/${env}.sha256"
# The plan file holds the values of the state, secrets included: it goes only to the container beside the state,
# never into a pipeline artifact.
az storage blob upload --auth-mode login --only-show-errors --overwrite true \
  --account-name "${account}" --container-name "${container}" --name "${env}/${PLAN_ID}.tfplan" --file "${stack}/tfplan" >&2
rm -f "${stack}/tfplan"
