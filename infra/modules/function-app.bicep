// The Flex Consumption function app (functions/). Everything it reaches, it reaches as its user-assigned
// identity: no storage keys, no connection strings with secrets, no publishing credentials.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param hostStorageAccountName string
param deploymentContainerUrl string
param dataBlobServiceUri string
param dataQueueServiceUri string
param dataTableServiceUri string
param applicationInsightsConnectionString string
param pseudonymisationKeyUri string
param pseudonymisationKeyVersion string
param maximumInstanceCount int
param instanceMemoryMB int
param quarterlyReturnsSchedule string
param retentionSchedule string
param apiAuthority string
param apiAudience string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy service "pipeline" (azure.yaml) by this tag.
  tags: union(tags, { 'azd-service-name': 'pipeline' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with this identity (there is no system-assigned one).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The host's own storage, identity-based.
    AzureWebJobsStorage__accountName: hostStorageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // The "DataStorage" connection: read by the triggers (credential/clientId) and bound to StorageOptions by
    // the library, whose DefaultAzureCredential picks the user-assigned identity through AZURE_CLIENT_ID.
    DataStorage__blobServiceUri: dataBlobServiceUri
    DataStorage__queueServiceUri: dataQueueServiceUri
    DataStorage__tableServiceUri: dataTableServiceUri
    DataStorage__credential: 'managedidentity'
    DataStorage__clientId: identityClientId
    AZURE_CLIENT_ID: identityClientId
    // Resolved by the platform from Key Vault; the value never appears in configuration or the template.
    Pseudonymisation__Key: '@Microsoft.KeyVault(SecretUri=${pseudonymisationKeyUri})'
    Pseudonymisation__KeyVersion: pseudonymisationKeyVersion
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // Timer schedules (NCRONTAB, UTC) for the quarterly returns and retention functions.
    Schedules__QuarterlyReturns: quarterlyReturnsSchedule
    Schedules__Retention: retentionSchedule
    // The analysts' API accepts Entra ID access tokens only: the local development issuer never runs in Azure.
    Api__Mode: 'EntraId'
    Api__Authority: apiAuthority
    Api__Audience: apiAudience
  }
}

// Publishing is by azd over Entra ID into the deployment container; basic (user/password) publishing is off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
