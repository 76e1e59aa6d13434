#!/usr/bin/env node
// Writes ResourceProperties.txt: for every resource type Cloister's template code names, the property names
// CloudFormation accepts, from the CloudFormation resource specification as the AWS CDK packages it
// (npm @aws-cdk/aws-service-spec, db.json.gz), and for the SAM types Cloister expands, the properties of the SAM
// specification (the AWS SAM developer guide's resource pages, listed below).
//
// Not run by the build (the build needs no network). To refresh, from the repository's root:
//   cd /tmp && npm pack @aws-cdk/aws-service-spec && mkdir -p spec && tar xzf aws-cdk-aws-service-spec-*.tgz -C spec
//   node src/Cloister.Templates/Specification/generate-properties.mjs /tmp/spec/package
// then review the diff, update the SAM lists below from the developer guide, and run the Templates tests.

import { readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const moduleRoot = join(here, '..');
const specPackage = process.argv[2];
if (!specPackage) {
  console.error('usage: generate-properties.mjs <unpacked @aws-cdk/aws-service-spec package folder>');
  process.exit(2);
}

const version = JSON.parse(readFileSync(join(specPackage, 'package.json'), 'utf8')).version;
const db = JSON.parse(gunzipSync(readFileSync(join(specPackage, 'db.json.gz'))).toString('utf8'));
const specTypes = new Map();
for (const resource of Object.values(db.schema.resource.entities)) {
  specTypes.set(resource.cloudFormationType, Object.keys(resource.properties ?? {}));
}

// Every "AWS::Service::Type" literal in the module's C# sources: the types the catalog accepts, and a few more
// named in messages, which cost a line each. The SAM types come from the lists below, not the CloudFormation spec.
const named = new Set();
const walk = (folder) => {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'bin' && name !== 'obj') walk(path);
    } else if (name.endsWith('.cs')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/"(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)"/g)) {
        if (!match[1].startsWith('AWS::Serverless::')) named.add(match[1]);
      }
    }
  }
};
walk(moduleRoot);

// The SAM specification: the Properties of each resource's syntax in the AWS SAM developer guide
// (docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-*.html), with the properties
// SAM's Globals take for it (samtranslator/plugins/globals/globals.py), which the guide lags behind.
const sam = {
  'AWS::Serverless::Function': `Architectures AssumeRolePolicyDocument AutoPublishAlias AutoPublishAliasAllProperties
    AutoPublishCodeSha256 CapacityProviderConfig CodeSigningConfigArn CodeUri DeadLetterQueue DeploymentPreference
    Description DurableConfig Environment EphemeralStorage EventInvokeConfig Events FileSystemConfigs FunctionName
    FunctionScalingConfig FunctionUrlConfig Handler ImageConfig ImageUri InlineCode KmsKeyArn Layers LoggingConfig
    MemorySize PackageType PermissionsBoundary Policies PropagateTags ProvisionedConcurrencyConfig
    PublishToLatestPublished RecursiveLoop ReservedConcurrentExecutions Role RolePath Runtime RuntimeManagementConfig
    SnapStart SourceKMSKeyArn Tags TenancyConfig Timeout Tracing VersionDeletionPolicy VersionDescription VpcConfig`,
  'AWS::Serverless::Api': `AccessLogSetting AlwaysDeploy ApiKeySourceType Auth BinaryMediaTypes CacheClusterEnabled
    CacheClusterSize CanarySetting Cors DefinitionBody DefinitionUri Description DisableExecuteApiEndpoint Domain
    EndpointAccessMode EndpointConfiguration FailOnWarnings GatewayResponses MergeDefinitions MethodSettings
    MinimumCompressionSize Mode Models Name OpenApiVersion Policy PropagateTags SecurityPolicy StageName Tags
    TracingEnabled Variables`,
  'AWS::Serverless::SimpleTable': `PointInTimeRecoverySpecification PrimaryKey ProvisionedThroughput SSESpecification
    TableName Tags`,
  'AWS::Serverless::LayerVersion': `CompatibleArchitectures CompatibleRuntimes ContentUri Description LayerName
    LicenseInfo PublishLambdaVersion RetentionPolicy`,
};

const lines = [
  '# Resource type, then the names of the properties CloudFormation (or, for AWS::Serverless::*, SAM) accepts for it.',
  `# AWS::* from @aws-cdk/aws-service-spec ${version} (npm; the CloudFormation resource specification);`,
  '# AWS::Serverless::* from the AWS SAM developer guide. Written by generate-properties.mjs: do not edit by hand.',
];
const missing = [];
for (const type of [...named].sort()) {
  const properties = specTypes.get(type);
  if (properties === undefined) {
    missing.push(type);
    continue;
  }
  lines.push(`${type} ${[...properties].sort().join(' ')}`);
}
for (const [type, properties] of Object.entries(sam)) {
  lines.push(`${type} ${properties.split(/\s+/).filter(Boolean).sort().join(' ')}`);
}
writeFileSync(join(here, 'ResourceProperties.txt'), lines.join('\n') + '\n');
console.log(`${lines.length - 3} types written from @aws-cdk/aws-service-spec ${version}`);
if (missing.length > 0) console.log(`named in the sources but not in the specification (left out): ${missing.join(', ')}`);
