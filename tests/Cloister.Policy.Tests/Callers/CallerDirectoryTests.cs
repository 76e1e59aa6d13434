using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Model.Network;
using Cloister.Policy.Callers;
using static Cloister.Policy.Tests.Callers.CallerModels;

namespace Cloister.Policy.Tests.Callers;

public sealed class CallerDirectoryTests
{
    private const string WriterArn = $"arn:aws:iam::{Account}:role/service/ClaimsWriter";

    private static readonly IamRole Writer = new(
        "WriterRole",
        "ClaimsWriter",
        WriterArn,
        "AROAWRITERROLE0000001",
        [new RolePolicy("put", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:PutItem","dynamodb:GetItem"],"Resource":"*"}]}"""),
         new RolePolicy("no-delete", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"dynamodb:DeleteItem","Resource":"*"}]}""")],
        PermissionsBoundary: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:PutItem","dynamodb:DeleteItem"],"Resource":"*"}]}""")
    {
        Tags = ImmutableDictionary<string, string>.Empty.Add("team", "claims").Add("lambda:createdBy", "SAM"),
    };

    private static readonly IamRole Reader = new(
        "ReaderRole",
        "Reader",
        $"arn:aws:iam::{Account}:role/Reader",
        "AROAREADERROLE0000001",
        [new RolePolicy("arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:Scan"],"Resource":"*"}]}""")]);

    private static readonly CloudModel Model = new()
    {
        Account = new AccountContext(Account, "eu-central-1"),
        Roles = [Writer, Reader],
        Functions = [Function("create", WriterArn), Function("orphan", $"arn:aws:iam::{Account}:role/MadeElsewhere")],
        Instances = [new Instance("i-0123456789abcdef0", "Box", "subnet-1", "10.0.1.5", [], InstanceProfileRole: "Reader"), new Instance("i-0fedcba9876543210", "Bare", "subnet-1", "10.0.1.6", [])],
    };

    [Fact]
    public void Find_FunctionsCredentials_AreItsRoleSessionNamedAfterTheFunction()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var credentials = directory.ForFunction(Model.Functions[0]);

        var caller = directory.Find(credentials.AccessKeyId);

        Assert.Matches("^ASIA[A-Z2-7]{16}$", credentials.AccessKeyId);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/ClaimsWriter/create", caller.Arn);
        Assert.Equal("AROAWRITERROLE0000001:create", caller.UserId);
        Assert.Equal(credentials.SecretAccessKey, caller.SecretAccessKey);
        Assert.Equal(credentials.SessionToken, caller.SessionToken);
        Assert.False(caller.IsRoot);
        Assert.Equal(2, caller.IdentityPolicies.Length);
    }

    [Fact]
    public void Find_RoleWithPath_PrincipalNamingTheRoleArnMatchesItsSessions()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var caller = directory.Find(directory.ForFunction(Model.Functions[0]).AccessKeyId);
        var request = Request("dynamodb:GetItem");
        request.Principal = caller.Principal;
        var resource = Policy.Parse($$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{WriterArn}}"},"Action":"dynamodb:GetItem","Resource":"*",
             "Condition":{"StringEquals":{"aws:PrincipalArn":"{{WriterArn}}"} } }]}
            """).Policy!;

        Assert.Equal(WriterArn, caller.Principal.RoleArn);
        Assert.Equal(Decision.Allow, resource.Evaluate(request).Decision);
    }

    [Fact]
    public void Find_InstanceProfileCredentials_AreTheProfileRolesSessionNamedAfterTheInstance()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var credentials = directory.ForInstance(Model.Instances[0])!;

        var caller = directory.Find(credentials.AccessKeyId);

        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Reader/i-0123456789abcdef0", caller.Arn);
        Assert.Null(directory.ForInstance(Model.Instances[1]));
    }

    [Fact]
    public void Build_SameSecretAndTime_IssuesTheSameCredentialsAndAnotherSecretDifferentOnes()
    {
        var time = new ManualTime(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var first = CallerDirectory.Build(Model, Secret, time).ForFunction(Model.Functions[0]);
        var again = CallerDirectory.Build(Model, Secret, time).ForFunction(Model.Functions[0]);
        var other = CallerDirectory.Build(Model, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), time).ForFunction(Model.Functions[0]);

        Assert.Equal(first, again);
        Assert.NotEqual(first.AccessKeyId, other.AccessKeyId);
        Assert.NotEqual(first.SecretAccessKey, other.SecretAccessKey);
    }

    [Fact]
    public void Find_DefaultAndUnknownKeys_AreTheAccountsRootOnlyTheDefaultVerifiable()
    {
        var directory = CallerDirectory.Build(Model, Secret);

        var developer = directory.Find(SandboxCredentials.Default.AccessKeyId);
        var stranger = directory.Find("AKIAIOSFODNN7EXAMPLE");

        Assert.True(developer.IsRoot);
        Assert.Equal($"arn:aws:iam::{Account}:root", developer.Arn);
        Assert.Equal(SandboxCredentials.Default.SecretAccessKey, developer.SecretAccessKey);
        Assert.True(stranger.IsRoot);
        Assert.Null(stranger.SecretAccessKey);
    }

    [Fact]
    public void Build_RoleOutsideTheTemplates_IsUnrestrictedAndWarned()
    {
        var directory = CallerDirectory.Build(Model, Secret);

        var caller = directory.Find(directory.ForFunction(Model.Functions[1]).AccessKeyId);

        Assert.Equal(Decision.Allow, Identity(caller, "dynamodb:DeleteTable"));
        Assert.Contains(directory.RolesOutsideModel, w => w.Contains("MadeElsewhere", StringComparison.Ordinal) && w.Contains("function orphan", StringComparison.Ordinal));
        Assert.DoesNotContain(directory.Warnings, w => w.Contains("MadeElsewhere", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dynamodb:PutItem", "Allow")]
    [InlineData("dynamodb:GetItem", "ImplicitDeny")]
    [InlineData("dynamodb:DeleteItem", "ExplicitDeny")]
    [InlineData("dynamodb:Scan", "ImplicitDeny")]
    public void Find_FunctionRoleWithBoundary_PoliciesDecideAsIam(string action, string expected)
    {
        // GetItem is allowed by a policy but not by the boundary; DeleteItem is inside the boundary but denied.
        var directory = CallerDirectory.Build(Model, Secret);
        var caller = directory.Find(directory.ForFunction(Model.Functions[0]).AccessKeyId);

        Assert.Equal(Enum.Parse<Decision>(expected), Identity(caller, action));
    }

    [Fact]
    public void Find_UnknownKey_RootAllowedWithoutPolicies()
    {
        var root = CallerDirectory.Build(Model, Secret).Find("anything");

        Assert.Equal(Decision.Allow, Identity(root, "dynamodb:DeleteTable"));
    }

    [Fact]
    public void Find_RoleSession_TokenIssueTimeIsWhenTheDirectoryIssuedItsCredentials()
    {
        // IAM: aws:TokenIssueTime is present only for temporary credentials; the sandbox's STS issues them when it is built (at up).
        var issued = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var directory = CallerDirectory.Build(Model, Secret, new ManualTime(issued.AddMilliseconds(250)));
        var session = directory.Find(directory.ForFunction(Model.Functions[0]).AccessKeyId);
        var root = directory.Find(SandboxCredentials.Default.AccessKeyId);
        var policy = Policy.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"temporary","Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"false"},"DateEquals":{"aws:tokenissuetime":"2030-05-06T07:08:09Z"},"StringEquals":{"aws:TokenIssueTime":"2030-05-06T07:08:09Z"}}},
              {"Sid":"longterm","Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"},"DateLessThan":{"aws:TokenIssueTime":"2000-01-01T00:00:00Z"}}},
              {"Sid":"ifexists","Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"DateLessThanIfExists":{"aws:TokenIssueTime":"2000-01-01T00:00:00Z"}}}
            ]}
            """).Policy!;

        Assert.Equal(issued, session.Principal.TokenIssueTime);
        Assert.Null(root.Principal.TokenIssueTime);
        Assert.Equal(0, Evaluate(policy, session).StatementIndex);
        Assert.Equal(2, Evaluate(policy, root).StatementIndex);
    }

    [Fact]
    public void Find_RoleSession_PrincipalTagsAreTheRolesTags()
    {
        // IAM: an assumed role's aws:PrincipalTag/KEY keys are its role's tags (and session tags, which the sandbox's STS never passes).
        var directory = CallerDirectory.Build(Model, Secret);
        var session = directory.Find(directory.ForFunction(Model.Functions[0]).AccessKeyId);
        var untagged = directory.Find(directory.ForInstance(Model.Instances[0])!.AccessKeyId);
        var root = directory.Find(SandboxCredentials.Default.AccessKeyId);
        var policy = Policy.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}Table",
               "Condition":{"StringEquals":{"aws:principaltag/Team":"claims","aws:PrincipalTag/lambda:createdBy":"SAM"},"Null":{"aws:PrincipalTag/cost-center":"true"}}}
            ]}
            """).Policy!;

        Assert.Equal("claims", session.Principal.Tags["team"]);
        Assert.Equal(Decision.Allow, Evaluate(policy, session).Decision);
        Assert.Equal(Decision.ImplicitDeny, Evaluate(policy, untagged).Decision);
        Assert.Equal(Decision.ImplicitDeny, Evaluate(policy, root).Decision);
    }

    [Fact]
    public void Apply_RolePolicyAddedAndBoundaryRemoved_SameKeyJudgedByTheNewPolicies()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var credentials = directory.ForFunction(Model.Functions[0]);
        var before = (Identity(directory.Find(credentials.AccessKeyId), "dynamodb:GetItem"), Identity(directory.Find(credentials.AccessKeyId), "dynamodb:Scan"));
        var writer = Writer with
        {
            Policies = [.. Writer.Policies, new RolePolicy("scan", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}]}""")],
            PermissionsBoundary = null,
        };

        var warnings = directory.Apply(Model with { Roles = [writer, Reader] });
        var after = directory.Find(credentials.AccessKeyId);

        Assert.Equal((Decision.ImplicitDeny, Decision.ImplicitDeny), before);
        Assert.Equal(Decision.Allow, Identity(after, "dynamodb:GetItem"));
        Assert.Equal(Decision.Allow, Identity(after, "dynamodb:Scan"));
        Assert.Equal(Decision.ExplicitDeny, Identity(after, "dynamodb:DeleteItem"));
        Assert.Equal(credentials.SecretAccessKey, after.SecretAccessKey);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/ClaimsWriter/create", after.Arn);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Apply_RoleRemoved_ItsSessionsKeepTheirIdentityAndAreDeniedEverything()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var function = directory.ForFunction(Model.Functions[0]);
        var instance = directory.ForInstance(Model.Instances[0])!;

        directory.Apply(Model with { Roles = [] });
        var caller = directory.Find(function.AccessKeyId);

        Assert.Equal(Decision.ImplicitDeny, Identity(caller, "dynamodb:PutItem"));
        Assert.Equal(Decision.ImplicitDeny, Identity(directory.Find(instance.AccessKeyId), "dynamodb:Scan"));
        Assert.Equal("AROAWRITERROLE0000001:create", caller.UserId);
        Assert.False(caller.IsRoot);
        Assert.Null(directory.AssumeRole(WriterArn, "again", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Apply_RoleRecreatedWithAnotherId_OldSessionsDeniedNewOnesAllowed()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var old = directory.ForFunction(Model.Functions[0]);

        directory.Apply(Model with { Roles = [Writer with { RoleId = "AROAWRITERROLE0000002" }, Reader] });
        var issuedAfter = directory.AssumeRole(WriterArn, "after", DateTimeOffset.UtcNow)!.Value.Session;

        Assert.Equal(Decision.ImplicitDeny, Identity(directory.Find(old.AccessKeyId), "dynamodb:PutItem"));
        Assert.Equal(Decision.Allow, Identity(issuedAfter, "dynamodb:PutItem"));
    }

    [Fact]
    public void Apply_InstanceProfileGetsAnotherRole_MetadataCredentialsAreThatRolesSession()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var before = directory.ForInstance(Model.Instances[0])!;
        var moved = Model.Instances[0] with { InstanceProfileRole = "ClaimsWriter" };

        directory.Apply(Model with { Instances = [moved, Model.Instances[1]] });
        var after = directory.ForInstance(moved)!;

        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/ClaimsWriter/i-0123456789abcdef0", directory.Find(after.AccessKeyId).Arn);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Reader/i-0123456789abcdef0", directory.Find(before.AccessKeyId).Arn);
        Assert.Equal(Decision.Allow, Identity(directory.Find(before.AccessKeyId), "dynamodb:Scan"));
    }

    private static PolicyDecision Evaluate(Policy policy, CallerIdentity caller)
    {
        var request = Request("dynamodb:GetItem");
        request.Principal = caller.Principal;
        return policy.Evaluate(request);
    }

    /// <summary>What the caller's identity alone allows, through the path the services use (no resource or endpoint policy).</summary>
    private static Decision Identity(CallerIdentity caller, string action) =>
        IamAccess.Evaluate(Request(action), caller, resourcePolicy: null, endpointPolicy: null).Decision;

    private static RequestContext Request(string action) =>
        new() { Action = action, Resource = $"arn:aws:dynamodb:eu-central-1:{Account}:table/claimsTable" };

    [Fact]
    public void AssumeRole_DeclaredRole_NewCredentialsFindKnowsAsTheRoleSessionWithItsPolicies()
    {
        var directory = CallerDirectory.Build(Model, Secret);
        var issuedAt = new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

        var (credentials, session) = directory.AssumeRole(WriterArn, "tutorial", issuedAt)!.Value;
        var again = directory.AssumeRole(WriterArn, "tutorial", issuedAt)!.Value.Credentials;

        Assert.StartsWith("ASIA", credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.NotEqual(credentials.AccessKeyId, again.AccessKeyId);
        var found = directory.Find(credentials.AccessKeyId);
        Assert.Same(session, found);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/ClaimsWriter/tutorial", found.Arn);
        Assert.Equal("AROAWRITERROLE0000001:tutorial", found.UserId);
        Assert.Equal(credentials.SecretAccessKey, found.SecretAccessKey);
        Assert.Equal(2, found.IdentityPolicies.Length);
        Assert.NotNull(found.PermissionsBoundary);
        Assert.False(found.IsRoot);
    }

    [Fact]
    public void AssumeRole_RoleNotInTheModel_Null()
    {
        var directory = CallerDirectory.Build(Model, Secret);

        Assert.Null(directory.AssumeRole($"arn:aws:iam::{Account}:role/MadeElsewhere", "tutorial", DateTimeOffset.UtcNow));
    }
}
