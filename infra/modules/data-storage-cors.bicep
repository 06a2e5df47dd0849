// The upload page's browser PUTs blocks straight to the data account's drops container with a short-lived
// user-delegation SAS; a browser sends those only when the account's CORS rules allow the page's origin. Deployed after
// the function app because the origin is the app's own host name, which exists only once the app does.
// Replaces the blob service's CORS rules (the only property set on it anywhere in infra/).

param storageAccountName string
@description('Origins allowed to PUT blocks, e.g. https://func-x.azurewebsites.net and any custom domain of the pages.')
param origins array

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    cors: {
      corsRules: [
        {
          allowedOrigins: origins
          // PUT for blocks and the block list; OPTIONS is the browser's preflight.
          allowedMethods: ['PUT', 'OPTIONS']
          allowedHeaders: ['content-type', 'x-ms-blob-type', 'x-ms-blob-content-type', 'x-ms-version', 'x-ms-date', 'x-ms-client-request-id']
          exposedHeaders: ['etag', 'x-ms-request-id']
          maxAgeInSeconds: 600
        }
      ]
    }
  }
}
