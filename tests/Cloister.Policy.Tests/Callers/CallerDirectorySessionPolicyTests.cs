using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Policy.Callers;
using static Cloister.Policy.Tests.Callers.CallerModels;

namespace Cloister.Policy.Tests.Callers;

/// <summary>
/// Session policies (AssumeRole's <c>Policy</c> and <c>PolicyArns</c>): checked as STS checks them, kept with the
/// session the directory issues, and intersected with the role's policies wherever the session's requests are judged
/// (<see cref="IamAccess"/>), as IAM's policy evaluation logic says.
/// </summary>
public sealed class CallerDirectorySessionPolicyTests
{
    private const string Table = $"arn:aws:dynamodb:eu-central-1:{Account}:table/Claims";
    private const string ReadOnlyArn = "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess";
    private const string OnlyGetItem = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]}""";

    private static readonly CloudModel Model = new()
    {
        Account = new AccountContext(Account, "eu-central-1"),
        Roles =
        [
            new IamRole("Caller", "Caller", RoleArn("Caller"), "AROACALLER", [new RolePolicy("assume", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""")]),
            new IamRole("Writer", "Writer", RoleArn("Writer"), "AROAWRITER", [new RolePolicy("write", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","sts:AssumeRole"],"Resource":"*"}]}""")])
            {
                AssumeRolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""",
            },
            new IamRole("Reader", "Reader", RoleArn("Reader"), "AROAREADER", [new RolePolicy(ReadOnlyArn, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":"*"}]}""")]),
        ],
    };

    private readonly CallerDirectory _directory = CallerDirectory.Build(Model);

    [Fact]
    public void AssumeRole_SessionPolicyAllowingOnlyGetItem_PutItemDeniedBecauseNoSessionPolicyAllowsIt()
    {
        var session = Issue(OnlyGetItem);

        var put = IamAccess.Evaluate(Request(session, "dynamodb:PutItem"), session, resourcePolicy: null, endpointPolicy: null);
        var get = IamAccess.Evaluate(Request(session, "dynamodb:GetItem"), session, resourcePolicy: null, endpointPolicy: null);

        Assert.Equal((Decision.ImplicitDeny, PolicySource.SessionPolicy), (put.Decision, put.Source));
        Assert.Equal(
            $"User: arn:aws:sts::{Account}:assumed-role/Writer/limited is not authorized to perform: dynamodb:PutItem on resource: {Table} because no session policy allows the dynamodb:PutItem action",
            put.DeniedMessage(session.Arn, "dynamodb:PutItem", Table));
        Assert.True(get.IsAllowed);
    }

    [Fact]
    public void AssumeRole_SessionPolicyAllowingWhatTheRoleLacks_StillDeniedByTheIdentityPolicies()
    {
        var session = Issue("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}""");

        var delete = IamAccess.Evaluate(Request(session, "dynamodb:DeleteItem"), session, resourcePolicy: null, endpointPolicy: null);

        Assert.Equal((Decision.ImplicitDeny, PolicySource.Identity), (delete.Decision, delete.Source));
    }

    [Fact]
    public void AssumeRole_SessionPolicyWithAnExplicitDeny_DenyWinsOverEveryAllow()
    {
        var session = Issue("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"},{"Effect":"Deny","Action":"dynamodb:PutItem","Resource":"*"}]}""");
        var resource = Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{session.Arn}}"},"Action":"dynamodb:*","Resource":"*"}]}""").Policy;

        var put = IamAccess.Evaluate(Request(session, "dynamodb:PutItem"), session, resource, endpointPolicy: null);

        Assert.Equal((Decision.ExplicitDeny, PolicySource.SessionPolicy, 1), (put.Decision, put.Source, put.StatementIndex));
        Assert.EndsWith("with an explicit deny in a session policy", put.DeniedMessage(session.Arn, "dynamodb:PutItem", Table), StringComparison.Ordinal);
    }

    [Fact]
    public void AssumeRole_ResourcePolicyNamingTheSessionArn_NotLimitedBySessionPolicy()
    {
        var session = Issue(OnlyGetItem);
        var namesSession = ResourcePolicy($$"""{"AWS":"{{session.Arn}}"}""");
        var namesRole = ResourcePolicy($$"""{"AWS":"{{RoleArn("Writer")}}"}""");
        var byPrincipalArn = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dynamodb:DeleteItem","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"ROLE"}}}]}""".Replace("ROLE", RoleArn("Writer"), StringComparison.Ordinal)).Policy;

        Assert.Equal(
            (Decision.Allow, Decision.ImplicitDeny, Decision.ImplicitDeny),
            (Delete(namesSession).Decision, Delete(namesRole).Decision, Delete(byPrincipalArn).Decision));
        Assert.Equal(PolicySource.SessionPolicy, Delete(namesRole).Source);

        IamDecision Delete(Policy? resource) => IamAccess.Evaluate(Request(session, "dynamodb:DeleteItem"), session, resource, endpointPolicy: null);
    }

    [Fact]
    public void AssumeRole_NoSessionPolicy_SessionHasTheRolesPermissionsAndNoPackedPolicySize()
    {
        var result = _directory.AssumeRole(Assume("open"));
        var session = result.Session!;

        Assert.True(result.IsIssued);
        Assert.Null(result.PackedPolicySize);
        Assert.Empty(session.SessionPolicies);
        Assert.True(IamAccess.Evaluate(Request(session, "dynamodb:PutItem"), session, resourcePolicy: null, endpointPolicy: null).IsAllowed);
    }

    [Fact]
    public void AssumeRole_ManagedPolicyArnARoleAttaches_LimitsTheSessionToIt()
    {
        var result = _directory.AssumeRole(Assume("managed", arns: [ReadOnlyArn]));
        var session = result.Session!;

        Assert.True(result.IsIssued, result.Message);
        Assert.Equal(3, result.PackedPolicySize);
        Assert.True(IamAccess.Evaluate(Request(session, "dynamodb:GetItem"), session, null, null).IsAllowed);
        Assert.Equal(PolicySource.SessionPolicy, IamAccess.Evaluate(Request(session, "dynamodb:PutItem"), session, null, null).Source);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem"}]}""", "must contain resources")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dynamodb:GetItem","Resource":"*"}]}""", "Principal")]
    [InlineData("""{"Statement":[""", "")]
    public void AssumeRole_MalformedSessionPolicy_RefusedAsMalformedPolicyDocument(string policy, string named)
    {
        var result = _directory.AssumeRole(Assume("bad", policy));

        Assert.Equal(AssumeRoleRefusal.MalformedSessionPolicy, result.Refusal);
        Assert.Contains(named, result.Message, StringComparison.Ordinal);
        Assert.Null(result.Credentials);
    }

    [Fact]
    public void AssumeRole_PolicyArnCloisterDoesNotKnow_Refused()
    {
        var result = _directory.AssumeRole(Assume("unknown", arns: [$"arn:aws:iam::{Account}:policy/MadeElsewhere"]));

        Assert.Equal((AssumeRoleRefusal.UnknownSessionPolicyArn, $"Policy arn:aws:iam::{Account}:policy/MadeElsewhere does not exist or is not attachable."), (result.Refusal, result.Message));
    }

    [Fact]
    public void AssumeRole_InlinePolicyAndArnsOverTheAllowance_PackedPolicyTooLarge()
    {
        var resources = string.Join(",", Enumerable.Range(0, 32).Select(i => $"\"{Table}{i:D2}\""));
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":[{{resources}}]}]}""";
        Assert.InRange(policy.Length, 1900, 2048);

        var result = _directory.AssumeRole(Assume("packed", policy, [ReadOnlyArn, ReadOnlyArn, ReadOnlyArn]));

        Assert.Equal(AssumeRoleRefusal.PackedPolicyTooLarge, result.Refusal);
        Assert.Matches(@"^Packed policy consumes 1[0-9]{2}% of allotted space, please use smaller policy\.$", result.Message);
    }

    [Fact]
    public void Find_AfterTheModelIsAppliedAgain_SessionKeepsItsSessionPolicies()
    {
        var credentials = _directory.AssumeRole(Assume("kept", OnlyGetItem)).Credentials!;

        _directory.Apply(Model with { Roles = [.. Model.Roles] });
        var session = _directory.Find(credentials.AccessKeyId);

        Assert.Single(session.SessionPolicies);
        Assert.False(IamAccess.Evaluate(Request(session, "dynamodb:PutItem"), session, null, null).IsAllowed);
    }

    [Fact]
    public void AssumeRole_SessionWhoseSessionPolicyDoesNotAllowAssumeRole_CannotChain()
    {
        var limited = Issue(OnlyGetItem);
        var open = _directory.AssumeRole(Assume("open")).Session!;

        Assert.Equal(AssumeRoleRefusal.NotAuthorized, _directory.AssumeRole(Assume("chained", caller: limited)).Refusal);
        Assert.True(_directory.AssumeRole(Assume("chained", caller: open)).IsIssued);
    }

    private CallerIdentity Issue(string policy)
    {
        var result = _directory.AssumeRole(Assume("limited", policy));
        Assert.True(result.IsIssued, result.Message);
        return result.Session!;
    }

    private AssumeRoleRequest Assume(string sessionName, string? policy = null, ImmutableArray<string> arns = default, CallerIdentity? caller = null)
    {
        caller ??= _directory.AssumeRole(RoleArn("Caller"), "caller", DateTimeOffset.UtcNow)!.Value.Session;
        var context = new RequestContext { Action = "sts:AssumeRole", Resource = RoleArn("Writer"), Principal = caller.Principal, RequestTime = DateTimeOffset.UtcNow };
        context.Set("sts:RoleSessionName", sessionName);
        return new AssumeRoleRequest(caller, context, sessionName, 900, Policy: policy, PolicyArns: arns);
    }

    private static RequestContext Request(CallerIdentity caller, string action) =>
        new() { Action = action, Resource = Table, Principal = caller.Principal, RequestTime = DateTimeOffset.UtcNow };

    private static Policy? ResourcePolicy(string principal) =>
        Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"dynamodb:DeleteItem","Resource":"*"}]}""").Policy;

    private static string RoleArn(string name) => $"arn:aws:iam::{Account}:role/{name}";
}
