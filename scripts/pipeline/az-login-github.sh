#!/usr/bin/env bash
# Signs the Azure CLI in with the GitHub Actions job's OIDC token (workload identity federation), as the identity
# ARM_CLIENT_ID names: what azure/login does, without a third-party action in a job that mints tokens. Terraform
# itself reads the same token (ARM_USE_OIDC); the CLI only moves the plan file (plan.sh, apply.sh).
# Needs `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN) and ARM_CLIENT_ID, ARM_TENANT_ID,
# ARM_SUBSCRIPTION_ID. The token is never printed.
# https://learn.microsoft.com/cli/azure/authenticate-azure-cli-service-principal (az login --federated-token)
set -euo pipefail
: "${ACTIONS_ID_TOKEN_REQUEST_URL:?the job needs permissions: id-token: write}"
token="$(curl -fsS -H "Authorization: bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}" \
  "${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange" | jq -er .value)"
az login --service-principal --username "${ARM_CLIENT_ID:?}" --tenant "${ARM_TENANT_ID:?}" --federated-token "${token}" --output none
az account set --subscription "${ARM_SUBSCRIPTION_ID:?}"
