// The pipeline's data account (ARCHITECTURE.md §3): containers, tables and queues, the lifecycle backstops, and the
// Event Grid system topic whose BlobCreated events on drops/ start IngestDrop (the subscription itself is made
// after the code is deployed: infra/scripts/subscribe-drops.sh).
param name string
param location string
param tags object
param dropsRetentionDays int
param quarantineRetentionDays int
@description('The function app\'s user-assigned identity (created by identity.bicep before this module runs).')
param identityName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

// Must equal StorageNames.Containers / Tables / Queues + PoisonQueues in src/Pipeline/Storage/StorageNames.cs;
// tests/Pipeline.Tests/Deployment/InfraTemplateTests.cs fails if they drift apart.
var containers = ['drops', 'quarantine', 'receipts', 'curated', 'current', 'kpis', 'submissions', 'reports']
var tables = ['Agreements', 'Drops', 'KpiResults', 'Audit', 'Submissions', 'PseudonymisationKeys', 'KpiRecompute', 'Population']
var queues = ['kpi-recompute', 'kpi-recompute-poison', 'webjobs-blobtrigger-poison']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    encryption: {
      // Infrastructure (double) encryption for row-level data about children.
      requireInfrastructureEncryption: true
      keySource: 'Microsoft.Storage'
      services: {
        blob: { enabled: true, keyType: 'Account' }
        file: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource containerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: { publicAccess: 'None' }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queueResources 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

// Backstops only: agreements set shorter retention, enforced per drop by the retention timer. These make sure
// nothing raw or refused outlives the longest agreement even if that timer stops.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'drops-backstop'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['drops/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: dropsRetentionDays } } }
          }
        }
        {
          name: 'quarantine-backstop'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['quarantine/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: quarantineRetentionDays } } }
          }
        }
      ]
    }
  }
  dependsOn: [containerResources]
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: '${name}-events'
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// Storage Blob Data Contributor: read drops, write receipts/quarantine/curated/kpis, delete processed drops.
resource blobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identity.id, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Contributor: kpi-recompute (send and receive) and the poison queues.
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identity.id, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Table Data Contributor: Agreements, Drops, KpiResults, Audit, Submissions, Population.
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identity.id, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// For providers who upload as an Entra ID identity: write (create/overwrite) blobs and nothing else: no read,
// no list, no delete, no container operations. Assigned per provider on the drops container with a condition
// limiting it to drops/{provider}/ (README, "Deploy").
resource dropUploader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, account.id, 'drop-uploader')
  properties: {
    roleName: 'Drop uploader (${name})'
    description: 'Upload-only access to the drops container of ${name}; assign with a path condition per provider.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [resourceGroup().id]
  }
}

output name string = account.name
output blobServiceUri string = account.properties.primaryEndpoints.blob
output queueServiceUri string = account.properties.primaryEndpoints.queue
output tableServiceUri string = account.properties.primaryEndpoints.table
output systemTopicName string = systemTopic.name
output dropsContainerId string = containerResources[indexOf(containers, 'drops')].id
output dropUploaderRoleId string = dropUploader.id
