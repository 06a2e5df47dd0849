// Key Vault holding the pseudonymisation key. RBAC only (no access policies), soft delete and purge protection
// so the key cannot be lost: losing it would make every stored pseudonym unlinkable to new drops.
param name string
param location string
param tags object
param pseudonymisationKeyVersion string
param pseudonymisationKeyExists bool
@secure()
param pseudonymisationKey string
@description('The function app\'s user-assigned identity (created by identity.bicep before this module runs).')
param identityName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

// One secret per key version, never rewritten: rotating means a new version label, so a new secret.
var secretName = 'pseudonymisation-key-${pseudonymisationKeyVersion}'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    // Flex Consumption without a virtual network resolves Key Vault references over the public endpoint;
    // access is still by Entra ID and RBAC only.
    publicNetworkAccess: 'Enabled'
  }
}

resource newSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!pseudonymisationKeyExists) {
  parent: vault
  name: secretName
  properties: {
    value: pseudonymisationKey
    contentType: 'base64 HMAC master key; Pseudonymisation__KeyVersion ${pseudonymisationKeyVersion}'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretName
}

// Key Vault Secrets User on this one secret, not the vault: the app reads its key and nothing else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, secretName, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: secret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
  dependsOn: [newSecret]
}

output name string = vault.name
// Without a version: always the secret's current value, which this deployment never changes once created.
output pseudonymisationKeyUri string = '${vault.properties.vaultUri}secrets/${secretName}'
