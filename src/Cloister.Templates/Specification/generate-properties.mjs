#!/usr/bin/env node
// Writes ResourceProperties.txt (and ResourceTypes.txt, every type's name): for every resource type Cloister's template code names, the property names
// CloudFormation accepts, from the CloudFormation resource specification as the AWS CDK packages it
// (npm @aws-cdk/aws-service-spec, db.json.gz), and for the SAM types Cloister expands, the properties of the SAM
// specification (the AWS SAM developer guide's resource pages, listed below). With them, the property types (the
// nested structures): each one's property names, and which property of a resource or type holds which type.
//
// A line is a type's name and its property names. A property holding a structure is written NAME:SHAPE, SHAPE being
// TYPE (one object), [TYPE] (a list of them) or {TYPE} (a map of names to them); TYPE is the property type's name
// within its resource (AWS::Route53::RecordSet.AliasTarget is written AliasTarget on AWS::Route53::RecordSet's lines),
// or Tag, CloudFormation's { Key, Value }. A property whose value is free-form (json, a map of strings, a union that
// admits json or more than one structure) is written bare, and nothing inside it is checked.
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
  specTypes.set(resource.cloudFormationType, resource);
}
const typeDefinitions = new Map(Object.values(db.schema.typeDefinition.entities).map((t) => [t.$id, t]));

// The structure a property's value has, as the SHAPE above, or null when its keys are not to be checked. A union of
// scalars and one structure is that structure (a scalar written there has no keys); json, maps of scalars and unions
// of several structures are free-form. So is a type the package keeps only for the CDK's backwards compatibility
// (mustRenderForBwCompat, e.g. AWS::EC2::Subnet.PrivateDnsNameOptionsOnLaunch, once json): what CloudFormation's own
// schema accepts there is not certain.
const shapeOf = (type, used) => {
  switch (type.type) {
    case 'ref': {
      const definition = typeDefinitions.get(type.reference.$ref);
      if (definition.mustRenderForBwCompat) return null;
      used.add(definition);
      return definition.name;
    }
    case 'tag':
      return 'Tag';
    case 'array':
    case 'map': {
      const element = type.element.type === 'array' || type.element.type === 'map' ? null : shapeOf(type.element, used);
      return element === null ? null : type.type === 'array' ? `[${element}]` : `{${element}}`;
    }
    case 'union': {
      const structured = type.types.filter((t) => !['string', 'boolean', 'integer', 'number', 'date-time'].includes(t.type));
      return structured.length === 1 && structured[0].type === 'ref' ? shapeOf(structured[0], used) : null;
    }
    default:
      return null;
  }
};

// A resource's or property type's line: its name, then each property, NAME:SHAPE when it holds a structure.
const line = (name, properties, used) =>
  [name, ...Object.keys(properties ?? {}).sort().map((property) => {
    const shape = shapeOf(properties[property].type, used);
    return shape === null ? property : `${property}:${shape}`;
  })].join(' ');

// A resource's line, then the lines of every property type reachable from it, named TYPE.NAME.
const resourceLines = (resource) => {
  const used = new Set();
  // The event sources of AWS::Serverless::Function a function's Events may hold, each EVENT written
// AWS::Serverless::Function.EVENT as the guide names them (sam-property-function-EVENT.html): the keys of an event's
// Properties for its Type, as the guide's syntax lists them, with the ones SAM's translator also takes without the
// guide saying so (property_types in samtranslator/model/eventsources/push.py: Stage on Api and HttpApi, RuleName on
// Schedule). SAM refuses another key there ("property X not defined for resource of type Api"). Only these event
// types are listed: the pull sources (SQS, Kinesis, DynamoDB, MSK...) take every key of the translator's shared
// PullEventSource list, which grows with each release and which the guide's pages do not show, so their Properties
// are not checked.
const samEvents = {
  Api: 'Auth Method Path RequestModel RequestParameters ResponseTransferMode RestApiId Stage TimeoutInMillis',
  HttpApi: 'ApiId Auth Method Path PayloadFormatVersion RouteSettings Stage TimeoutInMillis',
  Schedule: 'DeadLetterConfig Description Enabled Input Name RetryPolicy RuleName Schedule State',
};
for (const [event, properties] of Object.entries(samEvents)) {
  sam[`AWS::Serverless::Function.${event}`] = properties;
}

const lines = [line(resource.cloudFormationType, resource.properties, used)];
  const written = new Map();
  for (let pending = [...used]; pending.length > 0; pending = [...used].filter((d) => !written.has(d.name))) {
    for (const definition of pending) {
      if (written.has(definition.name) && written.get(definition.name) !== definition) {
        throw new Error(`${resource.cloudFormationType} has two property types named ${definition.name}`);
      }
      written.set(definition.name, definition);
      lines.push(line(`${resource.cloudFormationType}.${definition.name}`, definition.properties, used));
    }
  }
  return [lines[0], ...lines.slice(1).sort()];
};

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
  '# A property written NAME:TYPE holds a TYPE (the line TYPE, or RESOURCE.TYPE), NAME:[TYPE] a list, NAME:{TYPE} a map of them.',
];
lines.push('Tag Key Value');
const missing = [];
for (const type of [...named].sort()) {
  const resource = specTypes.get(type);
  if (resource === undefined) {
    missing.push(type);
    continue;
  }
  lines.push(...resourceLines(resource));
}
for (const [type, properties] of Object.entries(sam)) {
  lines.push(`${type} ${properties.split(/\s+/).filter(Boolean).sort().join(' ')}`);
}
writeFileSync(join(here, 'ResourceProperties.txt'), lines.join('\n') + '\n');
console.log(`${lines.length - 4} lines written from @aws-cdk/aws-service-spec ${version}`);

// ResourceTypes.txt: every resource type the specification has, so that a type written in the wrong case or not at all
// in CloudFormation reads as CloudFormation's "Unrecognized resource types", apart from a real type Cloister does not run.
const allTypes = [...specTypes.keys()].sort();
writeFileSync(join(here, 'ResourceTypes.txt'), [
  `# Every resource type of @aws-cdk/aws-service-spec ${version} (npm; the CloudFormation resource specification).`,
  '# Written by generate-properties.mjs: do not edit by hand.',
  ...allTypes,
].join('\n') + '\n');
console.log(`${allTypes.length} resource types written`);
if (missing.length > 0) console.log(`named in the sources but not in the specification (left out): ${missing.join(', ')}`);
