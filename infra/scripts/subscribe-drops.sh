#!/bin/sh
# azd postdeploy hook. Subscribes the IngestDrop blob trigger (Event Grid source) to BlobCreated events under
# drops/ on the data account's system topic. It runs after the code is deployed because the webhook URL carries
# the blob extension's system key, which exists only once the host has loaded a blob trigger; Event Grid also
# validates the endpoint on creation, which only the running app can answer.
# Safe to re-run: an existing subscription gets the current endpoint (e.g. after the key was renewed).
set -eu

rg="${AZURE_RESOURCE_GROUP:?run azd provision first}"
app="${AZURE_FUNCTION_APP_NAME:?run azd provision first}"
host="${AZURE_FUNCTION_APP_HOSTNAME:?run azd provision first}"
topic="${AZURE_DROPS_SYSTEM_TOPIC_NAME:?run azd provision first}"

# Must match Triggers.IngestDropFunction and StorageNames.DropsContainer (src/Pipeline/Storage/StorageNames.cs);
# tests/Pipeline.Tests/Functions/FunctionMetadataTests.cs checks that they do.
function_name="IngestDrop"
container="drops"
subscription="ingest-drop"

key=""
attempt=0
while [ -z "$key" ] && [ "$attempt" -lt 20 ]; do
  key=$(az functionapp keys list --resource-group "$rg" --name "$app" --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  if [ -z "$key" ]; then
    attempt=$((attempt + 1))
    echo "subscribe-drops: waiting for the blob extension key ($attempt/20)"
    sleep 15
  fi
done
if [ -z "$key" ]; then
  echo "subscribe-drops: no blobs_extension key on $app; is the code deployed and the host running?" >&2
  exit 1
fi

endpoint="https://$host/runtime/webhooks/blobs?functionName=Host.Functions.$function_name&code=$key"

if az eventgrid system-topic event-subscription show --resource-group "$rg" --system-topic-name "$topic" --name "$subscription" >/dev/null 2>&1; then
  az eventgrid system-topic event-subscription update \
    --resource-group "$rg" --system-topic-name "$topic" --name "$subscription" \
    --endpoint "$endpoint" --output none
else
  az eventgrid system-topic event-subscription create \
    --resource-group "$rg" --system-topic-name "$topic" --name "$subscription" \
    --endpoint-type webhook --endpoint "$endpoint" \
    --event-delivery-schema EventGridSchema \
    --included-event-types Microsoft.Storage.BlobCreated \
    --subject-begins-with "/blobServices/default/containers/$container/blobs/" \
    --max-delivery-attempts 30 --event-ttl 1440 \
    --output none
fi
echo "subscribe-drops: $subscription delivers BlobCreated under $container/ to $function_name"
