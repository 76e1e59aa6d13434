using System.Collections.Immutable;
using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Templates;

namespace Cloister.Host.Tests.Update;

/// <summary>
/// The change set of a reloaded template against the running one: the reload's fresh ids aligned to the running ones
/// (<see cref="IdAlignment"/>), then diffed per resource (<see cref="StackChanges"/>).
/// </summary>
public sealed class StackChangesTests
{
    private const string Template = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.50.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.50.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
          Group: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: web, VpcId: !Ref Vpc, SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/8 }] } }
          Host: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, SecurityGroupIds: [!Ref Group] } }
          Table: { Type: AWS::DynamoDB::Table, Properties: { BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], KeySchema: [{ AttributeName: id, KeyType: HASH }] } }
          Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: python3.12, Handler: index.handler, Code: { ZipFile: "def handler(e, c):\n    return 1\n" }, Environment: { Variables: { TABLE: !Ref Table } } } }
        Outputs:
          Group: { Value: !Ref Group }
        """;

    private static TemplateLoadResult Load(string text)
    {
        var loaded = TemplateLoader.Load([new TemplateFile("/templates/web.yaml") { Text = text, StackName = "web" }], new TemplateLoadOptions { Account = new AccountContext("123456789012", "eu-central-1"), Now = DateTimeOffset.UnixEpoch });
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Validation.Problems));
        return loaded;
    }

    private static (CloudModel Model, ImmutableArray<StackSummary> Stacks, List<ResourceChange> Changes) Reload(TemplateLoadResult running, string text)
    {
        var reloaded = Load(text);
        var generated = StackChanges.WithoutReplacedTables(IdAlignment.GeneratedTokens(reloaded, Load(text)), running.Stacks, running.Model, reloaded.Stacks, reloaded.Model);
        var (model, stacks) = IdAlignment.Align(running.Model, running.Stacks, reloaded.Model, reloaded.Stacks, generated);
        return (model, stacks, StackChanges.Between(running.Stacks, stacks, running.Model, model, new HashSet<string>()));
    }

    [Fact]
    public void Between_SameTemplateLoadedAgain_NoChangeAndTheRunningIds()
    {
        var running = Load(Template);

        var (model, stacks, changes) = Reload(running, Template);

        Assert.Empty(changes);
        Assert.Equal(running.Stacks[0].Resources.Select(r => r.PhysicalResourceId), stacks[0].Resources.Select(r => r.PhysicalResourceId));
        Assert.Equal(running.Stacks[0].Outputs.Single().OutputValue, stacks[0].Outputs.Single().OutputValue);
        Assert.Equal(running.Model.Tables.Single().TableName, model.Tables.Single().TableName);
        Assert.Empty(StackChanges.StructuralRecords(running.Model, model));
    }

    [Fact]
    public void Between_SameTemplateLoadedAgainManyTimes_NeverAChange()
    {
        // Drawn ids that look like words or numbers: an API's ten lowercase letters and digits (all letters one time in
        // 26), a load balancer's DNS digits, an endpoint's hashed DNS suffix. Each reload must still find them drawn.
        var template = Template.Replace("Outputs:", """
              Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: api, EndpointConfiguration: { Types: [PRIVATE] } } }
              Endpoint: { Type: AWS::EC2::VPCEndpoint, Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.eu-central-1.execute-api, VpcEndpointType: Interface, PrivateDnsEnabled: true, SubnetIds: [!Ref Subnet], SecurityGroupIds: [!Ref Group] } }
              Other: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.50.9.0/24, AvailabilityZone: !Select [1, !GetAZs ""] } }
              Balancer: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Scheme: internal, Subnets: [!Ref Subnet, !Ref Other] } }
            Outputs:
            """, StringComparison.Ordinal);
        var running = Load(template);

        for (var i = 0; i < 60; i++)
        {
            var (model, _, changes) = Reload(running, template);

            Assert.Empty(changes);
            Assert.Empty(StackChanges.StructuralRecords(running.Model, model));
        }
    }

    [Theory]
    [InlineData("BillingMode: PAY_PER_REQUEST, TimeToLiveSpecification: { AttributeName: expires, Enabled: true }, Tags: [{ Key: team, Value: a }], DeletionProtectionEnabled: true")]
    [InlineData("BillingMode: PROVISIONED, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 }, TableClass: STANDARD_INFREQUENT_ACCESS")]
    [InlineData("BillingMode: PAY_PER_REQUEST, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, ResourcePolicy: { PolicyDocument: { Statement: [{ Effect: Allow, Principal: { AWS: !Sub \"arn:aws:iam::${AWS::AccountId}:root\" }, Action: \"dynamodb:GetItem\", Resource: \"*\" }] } }")]
    public void Between_TableSettingsChanged_ModifiedAndLive(string settings)
    {
        var running = Load(Template);

        var (model, _, changes) = Reload(running, Template.Replace("BillingMode: PAY_PER_REQUEST", settings, StringComparison.Ordinal));

        Assert.Equal([("Table", ChangeAction.Modify, (string?)null)], changes.Select(c => (c.LogicalId, c.Action, c.Refusal)));
        Assert.Equal(running.Model.Tables.Single().TableName, model.Tables.Single().TableName);
    }

    [Theory]
    [InlineData("AttributeType: S }], KeySchema: [{ AttributeName: id, KeyType: HASH }]", "AttributeType: N }], KeySchema: [{ AttributeName: id, KeyType: HASH }]")]
    [InlineData("{ AttributeName: id, AttributeType: S }]", "{ AttributeName: id, AttributeType: S }, { AttributeName: at, AttributeType: N }]")]
    [InlineData("BillingMode: PAY_PER_REQUEST", "TableName: renamed, BillingMode: PAY_PER_REQUEST")]
    public void Between_GeneratedNameTableKeyChangedOrTableNamed_ReplacedUnderANewNameTheFunctionFollowing(string from, string to)
    {
        var running = Load(Template);
        var changed = Template.Replace(from, to, StringComparison.Ordinal);
        if (to.Contains("at,", StringComparison.Ordinal))
        {
            changed = changed.Replace("KeySchema: [{ AttributeName: id, KeyType: HASH }] }", "KeySchema: [{ AttributeName: id, KeyType: HASH }, { AttributeName: at, KeyType: RANGE }] }", StringComparison.Ordinal);
        }

        var (model, _, changes) = Reload(running, changed);

        var oldName = running.Model.Tables.Single().TableName;
        var newName = model.Tables.Single().TableName;
        Assert.NotEqual(oldName, newName);
        Assert.StartsWith(to.Contains("renamed", StringComparison.Ordinal) ? "renamed" : "web-Table-", newName, StringComparison.Ordinal);
        var table = Assert.Single(changes, c => c.LogicalId == "Table");
        Assert.Equal((ChangeAction.Modify, (string?)null, oldName), (table.Action, table.Refusal, table.ReplacedPhysicalId));
        Assert.Equal(newName, model.Functions.Single().Environment["TABLE"]);
        Assert.Contains(changes, c => c.LogicalId == "Fn" && c.Action == ChangeAction.Modify && c.Refusal is null);
    }

    [Fact]
    public void Between_CustomNamedTableKeyTypeChanged_RefusedInCloudFormationsWords()
    {
        var named = Template.Replace("BillingMode: PAY_PER_REQUEST", "TableName: items, BillingMode: PAY_PER_REQUEST", StringComparison.Ordinal);
        var running = Load(named);

        var (_, _, changes) = Reload(running, named.Replace("AttributeType: S", "AttributeType: N", StringComparison.Ordinal));

        Assert.Equal(
            "Table (AWS::DynamoDB::Table, stack web): modified; its KeySchema or the type of a key attribute changes, which replaces the table: CloudFormation cannot " +
            "update a stack when a custom-named resource requires replacing. Rename items and update the stack again.: give the table another TableName (CloudFormation " +
            "then creates the new table and deletes this one with its items), or deploy without the table (it is deleted with its items), then with it; down and up keep a table as it is",
            Assert.Single(changes, c => c.LogicalId == "Table").RefusalLine);
    }

    /// <summary><see cref="Template"/> with the table's attribute definitions and global secondary indexes in place of the original ones.</summary>
    private static string WithIndexes(string definitions, string indexes) =>
        Template.Replace("AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]", $"AttributeDefinitions: [{{ AttributeName: id, AttributeType: S }}{definitions}]", StringComparison.Ordinal)
            .Replace("KeySchema: [{ AttributeName: id, KeyType: HASH }] }", $"KeySchema: [{{ AttributeName: id, KeyType: HASH }}]{indexes} }}", StringComparison.Ordinal);

    private const string ByName = "{ IndexName: byName, KeySchema: [{ AttributeName: name, KeyType: HASH }], Projection: { ProjectionType: ALL } }";
    private const string ByDate = "{ IndexName: byDate, KeySchema: [{ AttributeName: at, KeyType: HASH }], Projection: { ProjectionType: KEYS_ONLY } }";

    [Theory]
    [InlineData("", "", NameDefined, ", GlobalSecondaryIndexes: [" + ByName + "]")]
    [InlineData(NameDefined, ", GlobalSecondaryIndexes: [" + ByName + "]", "", "")]
    [InlineData(NameDefined, ", GlobalSecondaryIndexes: [" + ByName + "]", NameDefined + AtDefined, ", GlobalSecondaryIndexes: [" + ByDate + ", " + ByName + "]")]
    [InlineData("", "", "", ", SSESpecification: { SSEEnabled: true }")]
    [InlineData("", ", SSESpecification: { SSEEnabled: true }", "", ", SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/app }")]
    public void Between_OneIndexCreatedOrDeletedOrEncryptionChanged_ModifiedAndLive(string definitions, string settings, string newDefinitions, string newSettings)
    {
        var running = Load(WithIndexes(definitions, settings));

        var (_, _, changes) = Reload(running, WithIndexes(newDefinitions, newSettings));

        Assert.Equal([("Table", ChangeAction.Modify, (string?)null)], changes.Select(c => (c.LogicalId, c.Action, c.Refusal)));
    }

    private const string NameDefined = ", { AttributeName: name, AttributeType: S }";
    private const string AtDefined = ", { AttributeName: at, AttributeType: N }";

    [Theory]
    [InlineData("", "", NameDefined + AtDefined, ", GlobalSecondaryIndexes: [" + ByName + ", " + ByDate + "]",
        "its GlobalSecondaryIndexes change (byName, byDate created): Cannot perform more than one GSI creation or deletion in a single update: create or delete one global secondary index per deployment")]
    [InlineData(NameDefined, ", GlobalSecondaryIndexes: [" + ByName + "]", AtDefined, ", GlobalSecondaryIndexes: [" + ByDate + "]",
        "its GlobalSecondaryIndexes change (byDate created; byName deleted): Cannot perform more than one GSI creation or deletion in a single update: create or delete one global secondary index per deployment")]
    [InlineData(NameDefined, ", GlobalSecondaryIndexes: [" + ByName + "]", NameDefined, ", GlobalSecondaryIndexes: [{ IndexName: byName, KeySchema: [{ AttributeName: name, KeyType: HASH }], Projection: { ProjectionType: KEYS_ONLY } }]",
        "its GlobalSecondaryIndexes change (byName changed): Cannot update GSI's properties other than Provisioned Throughput and Contributor Insights Specification. " +
        "You can create a new GSI with a different name.: delete the index in one deployment and create it with its new key or projection in the next, or create it under another name and delete the old one in the next")]
    [InlineData(NameDefined, ", GlobalSecondaryIndexes: [" + ByName + "]", ", { AttributeName: name, AttributeType: N }", ", GlobalSecondaryIndexes: [" + ByName + "]",
        "its GlobalSecondaryIndexes change (byName changed): Cannot update GSI's properties other than Provisioned Throughput and Contributor Insights Specification. " +
        "You can create a new GSI with a different name.: delete the index in one deployment and create it with its new key or projection in the next, or create it under another name and delete the old one in the next")]
    public void Between_IndexesChangedBeyondOneCreationOrDeletion_RefusedInCloudFormationsWords(string definitions, string indexes, string newDefinitions, string newIndexes, string refusal)
    {
        var running = Load(WithIndexes(definitions, indexes));

        var (_, _, changes) = Reload(running, WithIndexes(newDefinitions, newIndexes));

        Assert.Equal("Table (AWS::DynamoDB::Table, stack web): modified; " + refusal, Assert.Single(changes, c => c.LogicalId == "Table").RefusalLine);
    }

    [Fact]
    public void Between_RuleAndEnvironmentChanged_ModifiedAndLive()
    {
        var running = Load(Template);

        var (model, _, changes) = Reload(running, Template.Replace("FromPort: 80, ToPort: 80", "FromPort: 81, ToPort: 81", StringComparison.Ordinal)
            .Replace("{ TABLE: !Ref Table }", "{ TABLE: !Ref Table, MODE: test }", StringComparison.Ordinal));

        Assert.Equal([("Group", ChangeAction.Modify, (string?)null), ("Fn", ChangeAction.Modify, null)], changes.Select(c => (c.LogicalId, c.Action, c.Refusal)));
        Assert.Empty(StackChanges.StructuralRecords(running.Model, model));
        Assert.Equal(81, model.SecurityGroups.Single(g => g.LogicalId == "Group").Ingress.Single().FromPort);
    }

    [Fact]
    public void Between_SubnetAddedAndTableRemoved_SubnetRefusedNamingItTableRemovedLive()
    {
        var running = Load(Template);
        var changed = Template
            .Replace("  Host:", "  Subnet2: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.50.2.0/24, AvailabilityZone: !Select [0, !GetAZs \"\"] } }\n  Host:", StringComparison.Ordinal)
            .Replace("Environment: { Variables: { TABLE: !Ref Table } } ", string.Empty, StringComparison.Ordinal);
        changed = string.Join('\n', changed.Split('\n').Where(l => !l.TrimStart().StartsWith("Table:", StringComparison.Ordinal)));

        var (_, _, changes) = Reload(running, changed);

        var subnet = Assert.Single(changes, c => c.LogicalId == "Subnet2");
        Assert.Equal("Subnet2 (AWS::EC2::Subnet, stack web): added; a running sandbox cannot add subnets: ./cloister down && ./cloister up", subnet.RefusalLine);
        var table = Assert.Single(changes, c => c.LogicalId == "Table");
        Assert.Equal((ChangeAction.Remove, (string?)null), (table.Action, table.Refusal));
    }

    [Fact]
    public void Between_InstanceGivenAnotherGroup_GroupAddedAndInstanceModifiedLive()
    {
        // EC2 changes a VPC instance's security groups without replacing it; the fabric applies them to its host.
        var running = Load(Template);
        var changed = Template
            .Replace("  Host:", "  Admin: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: admin, VpcId: !Ref Vpc } }\n  Host:", StringComparison.Ordinal)
            .Replace("SecurityGroupIds: [!Ref Group]", "SecurityGroupIds: [!Ref Group, !Ref Admin]", StringComparison.Ordinal);

        var (model, _, changes) = Reload(running, changed);

        Assert.Equal([("Admin", ChangeAction.Add, (string?)null), ("Host", ChangeAction.Modify, null)], changes.Select(c => (c.LogicalId, c.Action, c.Refusal)));
        Assert.Empty(StackChanges.StructuralRecords(running.Model, model));
    }

    [Fact]
    public void Between_InstanceMovedToAnotherSubnet_Refused()
    {
        var running = Load(Template);
        var changed = Template
            .Replace("  Host:", "  Subnet2: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.50.2.0/24, AvailabilityZone: !Select [0, !GetAZs \"\"] } }\n  Host:", StringComparison.Ordinal)
            .Replace("SubnetId: !Ref Subnet,", "SubnetId: !Ref Subnet2,", StringComparison.Ordinal);

        var (_, _, changes) = Reload(running, changed);

        Assert.Equal("Host (AWS::EC2::Instance, stack web): modified; a running sandbox cannot change instances: ./cloister down && ./cloister up", Assert.Single(changes, c => c.LogicalId == "Host").RefusalLine);
    }

    /// <summary>A role with an inline policy and a boundary, an instance profile, a parameter, a gateway and an interface endpoint with policies.</summary>
    private const string IamTemplate = """
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.51.0.0/16 } }
          Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.51.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
          Routes: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
          Tables:
            Type: AWS::EC2::VPCEndpoint
            Properties: { VpcId: !Ref Vpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.dynamodb", RouteTableIds: [!Ref Routes], PolicyDocument: { Statement: [{ Effect: Allow, Principal: "*", Action: "dynamodb:GetItem", Resource: "*" }] } }
          Params:
            Type: AWS::EC2::VPCEndpoint
            Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub "com.amazonaws.${AWS::Region}.ssm", SubnetIds: [!Ref Subnet], PolicyDocument: { Statement: [{ Effect: Allow, Principal: "*", Action: "ssm:GetParameter", Resource: "*" }] } }
          AppRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
              Policies: [{ PolicyName: read, PolicyDocument: { Statement: [{ Effect: Allow, Action: dynamodb:GetItem, Resource: "*" }] } }]
          OtherRole: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] } } }
          AppProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref AppRole] } }
          Host: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet, IamInstanceProfile: !Ref AppProfile } }
          Setting: { Type: AWS::SSM::Parameter, Properties: { Name: /app/setting, Type: String, Value: one } }
        """;

    [Fact]
    public void Between_RolePolicyProfileAndParameterChanged_AllLiveWithTheRunningRoleIds()
    {
        var running = Load(IamTemplate);
        var changed = IamTemplate
            .Replace("Action: dynamodb:GetItem, Resource", "Action: [dynamodb:GetItem, dynamodb:PutItem], Resource", StringComparison.Ordinal)
            .Replace("Roles: [!Ref AppRole]", "Roles: [!Ref OtherRole]", StringComparison.Ordinal)
            .Replace("Value: one", "Value: two", StringComparison.Ordinal)
            + "\n  Added: { Type: AWS::SSM::Parameter, Properties: { Name: /app/added, Type: String, Value: new } }\n";

        var (model, _, changes) = Reload(running, changed);

        Assert.All(changes, c => Assert.Null(c.Refusal));
        Assert.Contains(changes, c => c.LogicalId == "AppRole" && c.Action == ChangeAction.Modify);
        Assert.Contains(changes, c => c.LogicalId == "Setting" && c.Action == ChangeAction.Modify);
        Assert.Contains(changes, c => c.LogicalId == "Added" && c.Action == ChangeAction.Add);
        Assert.Empty(StackChanges.StructuralRecords(running.Model, model));
        Assert.Equal(running.Model.Roles.Select(r => (r.Arn, r.RoleId)), model.Roles.Select(r => (r.Arn, r.RoleId)));
        Assert.Equal(model.Roles.Single(r => r.LogicalId == "OtherRole").RoleName, model.Instances.Single().InstanceProfileRole);
    }

    [Fact]
    public void Between_RoleRemoved_Live()
    {
        var running = Load(IamTemplate);
        var changed = string.Join('\n', IamTemplate.Split('\n').Where(l => !l.Contains("OtherRole", StringComparison.Ordinal)));

        var (model, _, changes) = Reload(running, changed);

        var removed = Assert.Single(changes);
        Assert.Equal(("OtherRole", ChangeAction.Remove, (string?)null), (removed.LogicalId, removed.Action, removed.Refusal));
        Assert.Empty(StackChanges.StructuralRecords(running.Model, model));
    }

    [Fact]
    public void Between_GatewayAndInterfaceEndpointPoliciesChanged_BothLive()
    {
        var running = Load(IamTemplate);
        var changed = IamTemplate
            .Replace("Action: \"dynamodb:GetItem\"", "Action: \"dynamodb:*\"", StringComparison.Ordinal)
            .Replace("Action: \"ssm:GetParameter\"", "Action: \"ssm:*\"", StringComparison.Ordinal);

        var (model, _, changes) = Reload(running, changed);

        Assert.Equal([("Params", ChangeAction.Modify, (string?)null), ("Tables", ChangeAction.Modify, null)], changes.Select(c => (c.LogicalId, c.Action, c.Refusal)).Order());
        Assert.Empty(StackChanges.StructuralRecords(running.Model, model));
    }

    [Fact]
    public void Between_InterfaceEndpointMovedToAnotherSubnetAndPolicyChanged_Refused()
    {
        var running = Load(IamTemplate);
        var changed = IamTemplate
            .Replace("  Routes:", "  Subnet2: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.51.2.0/24, AvailabilityZone: !Select [0, !GetAZs \"\"] } }\n  Routes:", StringComparison.Ordinal)
            .Replace("SubnetIds: [!Ref Subnet], PolicyDocument: { Statement: [{ Effect: Allow, Principal: \"*\", Action: \"ssm:GetParameter\"", "SubnetIds: [!Ref Subnet2], PolicyDocument: { Statement: [{ Effect: Allow, Principal: \"*\", Action: \"ssm:*\"", StringComparison.Ordinal);

        var (_, _, changes) = Reload(running, changed);

        Assert.Equal(
            "Params (AWS::EC2::VPCEndpoint, stack web): modified; a running sandbox cannot change interface endpoints (their network interfaces are hosts of the sandbox): ./cloister down && ./cloister up",
            Assert.Single(changes, c => c.LogicalId == "Params").RefusalLine);
    }
}
