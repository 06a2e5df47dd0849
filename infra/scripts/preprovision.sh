#!/bin/sh
# azd preprovision hook. Tells infra/main.bicep whether this environment's pseudonymisation key (secret
# pseudonymisation-key-{version}) already exists, so that provisioning creates it once and never rewrites it: a
# new value would silently change every pseudonym. Uses the control plane (no Key Vault data role needed).
# Fails rather than guess when it cannot tell.
set -eu

version="${PSEUDONYMISATION_KEY_VERSION:-v1}"
rg="${AZURE_RESOURCE_GROUP:-rg-${AZURE_ENV_NAME:?AZURE_ENV_NAME is not set}}"
exists=false

if [ "$(az group exists --name "$rg" -o tsv)" = "true" ]; then
  if [ -n "${AZURE_KEY_VAULT_NAME:-}" ]; then
    vault_id=$(az keyvault show --resource-group "$rg" --name "$AZURE_KEY_VAULT_NAME" --query id -o tsv)
  else
    # A fresh machine without .azure/<env>: the environment's vault is the one in its resource group.
    vault_id=$(az keyvault list --resource-group "$rg" --query "[].id" -o tsv)
    if [ "$(printf '%s\n' "$vault_id" | grep -c .)" -gt 1 ]; then
      echo "preprovision: more than one Key Vault in $rg; run 'azd env set AZURE_KEY_VAULT_NAME <name>' first" >&2
      exit 1
    fi
  fi
  if [ -n "$vault_id" ]; then
    if out=$(az resource show --ids "$vault_id/secrets/pseudonymisation-key-$version" --api-version 2023-07-01 --query id -o tsv 2>&1); then
      exists=true
    elif printf '%s' "$out" | grep -qiE 'not ?found|ResourceNotFound|SecretNotFound'; then
      exists=false
    else
      echo "preprovision: could not tell whether pseudonymisation-key-$version exists: $out" >&2
      exit 1
    fi
  fi
fi

echo "preprovision: pseudonymisation-key-$version exists: $exists"
azd env set PSEUDONYMISATION_KEY_VERSION "$version"
azd env set PSEUDONYMISATION_KEY_EXISTS "$exists"
