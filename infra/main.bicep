// The pipeline's Azure deployment (azd layout: `azd up` from the repository root). Subscription scope so that
// one command also creates the resource group. Every resource is declared here or in ./modules: the public
// registry modules cannot be restored on the development machines, and the test run compiles this file.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name (e.g. dev, prod); names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Azure region for every resource, e.g. uksouth. Must offer Flex Consumption.')
param location string

@description('Resource group to create or reuse.')
param resourceGroupName string = 'rg-${environmentName}'

// Names: globally unique where Azure needs it, stable for an environment/subscription/region.
@maxLength(60)
param functionAppName string = 'func-${uniqueString(subscription().id, environmentName, location)}'
param functionPlanName string = 'plan-${uniqueString(subscription().id, environmentName, location)}'
param identityName string = 'id-${uniqueString(subscription().id, environmentName, location)}'
@minLength(3)
@maxLength(24)
param hostStorageAccountName string = 'sthost${uniqueString(subscription().id, environmentName, location)}'
@minLength(3)
@maxLength(24)
param dataStorageAccountName string = 'stdata${uniqueString(subscription().id, environmentName, location)}'
@minLength(3)
@maxLength(24)
param keyVaultName string = 'kv-${uniqueString(subscription().id, environmentName, location)}'
param logAnalyticsName string = 'log-${uniqueString(subscription().id, environmentName, location)}'
param applicationInsightsName string = 'appi-${uniqueString(subscription().id, environmentName, location)}'

@minValue(1)
@description('Backstop: raw uploads in drops/ are deleted this many days after their last change, whatever happens to them. Keep it at least the longest rawDropDays of any agreement.')
param dropsRetentionDays int = 30

@minValue(1)
@description('Backstop: refused drops and their reports in quarantine/ are deleted after this many days. Keep it at least the longest quarantineDays of any agreement.')
param quarantineRetentionDays int = 30

@minLength(1)
@maxLength(20)
@description('Version label of the pseudonymisation key (Pseudonymisation__KeyVersion). Changing it rotates the key: a new secret pseudonymisation-key-{version} is created and the app switches to it.')
param pseudonymisationKeyVersion string = 'v1'

@description('Whether pseudonymisation-key-{version} already exists in the vault (set by infra/scripts/preprovision.sh). When true the secret is left alone: rewriting it would change every pseudonym.')
param pseudonymisationKeyExists bool = false

@secure()
@description('Value for a new pseudonymisation key (base64, at least 32 bytes). Leave empty to generate one; used only when the secret does not exist yet.')
param pseudonymisationKey string = ''

// Two fresh GUIDs are 244 random bits; base64 of their 72 characters passes the library's "at least 32 bytes".
// newGuid() may only appear in a parameter default, so the generated value lives here.
@secure()
@description('Do not set: the generated fallback for pseudonymisationKey.')
param generatedPseudonymisationKey string = base64('${newGuid()}${newGuid()}')

@minValue(40)
@maxValue(1000)
@description('Flex Consumption scale-out ceiling.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
@description('Flex Consumption instance memory (MB). Drops are streamed, so 2048 leaves room for four at once (host.json).')
param instanceMemoryMB int = 2048

@description('NCRONTAB (UTC) for the quarterly YJB returns timer: 06:00 on the first day of each quarter.')
param quarterlyReturnsSchedule string = '0 0 6 1 1,4,7,10 *'

@description('NCRONTAB (UTC) for the daily retention timer.')
param retentionSchedule string = '0 0 2 * * *'

@description('Extra origins of the pages (custom domains, e.g. https://data.example.gov.uk) allowed to upload drops from a browser.')
param pagesCustomOrigins array = []

@description('Entra ID authority whose access tokens the analysts\' API accepts (Api__Authority): this tenant, v2.0 endpoint.')
param apiAuthority string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'

@minLength(1)
@description('Audience of the analysts\' API access tokens (Api__Audience): the application (client) id of the API\'s app registration, which v2.0 access tokens carry as their audience. azd asks for it unless API_AUDIENCE is set.')
param apiAudience string

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
    identityName: identityName
  }
  dependsOn: [identity]
}

module hostStorage 'modules/host-storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: hostStorageAccountName
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${take(toLower(functionAppName), 50)}'
    identityName: identityName
  }
  dependsOn: [identity]
}

module dataStorage 'modules/data-storage.bicep' = {
  name: 'data-storage'
  scope: rg
  params: {
    name: dataStorageAccountName
    location: location
    tags: tags
    dropsRetentionDays: dropsRetentionDays
    quarantineRetentionDays: quarantineRetentionDays
    identityName: identityName
  }
  dependsOn: [identity]
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    pseudonymisationKeyVersion: pseudonymisationKeyVersion
    pseudonymisationKeyExists: pseudonymisationKeyExists
    pseudonymisationKey: empty(pseudonymisationKey) ? generatedPseudonymisationKey : pseudonymisationKey
    identityName: identityName
  }
  dependsOn: [identity]
}

// Uses outputs of every module above, so it starts only once they, role assignments included, are done: the app
// never starts without the rights to reach storage, the vault and telemetry.
module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: functionPlanName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageAccountName: hostStorage.outputs.name
    deploymentContainerUrl: hostStorage.outputs.deploymentContainerUrl
    dataBlobServiceUri: dataStorage.outputs.blobServiceUri
    dataQueueServiceUri: dataStorage.outputs.queueServiceUri
    dataTableServiceUri: dataStorage.outputs.tableServiceUri
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    pseudonymisationKeyUri: keyVault.outputs.pseudonymisationKeyUri
    pseudonymisationKeyVersion: pseudonymisationKeyVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    quarterlyReturnsSchedule: quarterlyReturnsSchedule
    retentionSchedule: retentionSchedule
    apiAuthority: apiAuthority
    apiAudience: apiAudience
  }
}

// The upload page runs on the function app's host name (and any custom domains given), so only those origins may
// send blocks to the data account from a browser.
module dataStorageCors 'modules/data-storage-cors.bicep' = {
  name: 'data-storage-cors'
  scope: rg
  params: {
    storageAccountName: dataStorageAccountName
    origins: concat(['https://${functionApp.outputs.defaultHostName}'], pagesCustomOrigins)
  }
}

// Read by azd (into .azure/<env>/.env) and by the hooks in infra/scripts.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output AZURE_DATA_STORAGE_ACCOUNT_NAME string = dataStorage.outputs.name
// For the local runner against the deployed data account (README, "After azd up").
output AZURE_DATA_BLOB_ENDPOINT string = dataStorage.outputs.blobServiceUri
output AZURE_DATA_QUEUE_ENDPOINT string = dataStorage.outputs.queueServiceUri
output AZURE_DATA_TABLE_ENDPOINT string = dataStorage.outputs.tableServiceUri
output AZURE_HOST_STORAGE_ACCOUNT_NAME string = hostStorage.outputs.name
output AZURE_DROPS_SYSTEM_TOPIC_NAME string = dataStorage.outputs.systemTopicName
output AZURE_DROPS_CONTAINER_ID string = dataStorage.outputs.dropsContainerId
output AZURE_DROP_UPLOADER_ROLE_ID string = dataStorage.outputs.dropUploaderRoleId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output PSEUDONYMISATION_KEY_VERSION string = pseudonymisationKeyVersion
output API_AUTHORITY string = apiAuthority
