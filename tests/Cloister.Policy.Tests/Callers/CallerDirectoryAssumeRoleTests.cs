using System.Collections.Immutable;
using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Policy.Callers;
using static Cloister.Policy.Tests.Callers.CallerModels;

namespace Cloister.Policy.Tests.Callers;

/// <summary>
/// <see cref="CallerDirectory.AssumeRole(AssumeRoleRequest)"/>: the role's trust policy judged with the caller's policies
/// as IAM judges a role of the caller's own account, then the session's length.
/// </summary>
public sealed class CallerDirectoryAssumeRoleTests
{
    private const string AllowAssume = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""";

    private static readonly CallerDirectory Directory = CallerDirectory.Build(new CloudModel
    {
        Account = new AccountContext(Account, "eu-central-1"),
        Roles =
        [
            Role("Caller", """{"AWS":"*"}""", policies: [new RolePolicy("assume", AllowAssume)]) with { Tags = ImmutableDictionary<string, string>.Empty.Add("team", "claims") },
            Role("Bounded", """{"AWS":"*"}""", policies: [new RolePolicy("assume", AllowAssume)], boundary: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"""),
            Role("TrustsCaller", $$"""{"AWS":"arn:aws:iam::{{Account}}:role/Caller"}"""),
            Role("TrustsBounded", $$"""{"AWS":"arn:aws:iam::{{Account}}:role/Bounded"}"""),
            Role("TrustsBoundedSession", $$"""{"AWS":"arn:aws:sts::{{Account}}:assumed-role/Bounded/s"}"""),
            Role("TrustsAccount", $$"""{"AWS":"arn:aws:iam::{{Account}}:root"}"""),
            Role("ByTag", """{"AWS":"*"}""", ""","Condition":{"StringEquals":{"aws:PrincipalTag/team":"claims","sts:RoleSessionName":"nightly"}}"""),
            Role("DeniesCaller", """{"AWS":"*"}""", deny: """{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::""" + Account + """:role/Caller"}}}"""),
            Role("SourceIdentities", """{"AWS":"*"}""", action: """["sts:AssumeRole","sts:SetSourceIdentity"]"""),
            Role("Broken", """{"AWS":"*"}""") with { AssumeRolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}""" },
            new IamRole("Untrusting", "Untrusting", RoleArn("Untrusting"), "AROAUNTRUSTING", []),
        ],
    });

    [Theory]
    [InlineData("TrustsCaller", AssumeRoleRefusal.None)]
    [InlineData("TrustsAccount", AssumeRoleRefusal.None)]
    [InlineData("ByTag", AssumeRoleRefusal.None)]
    [InlineData("DeniesCaller", AssumeRoleRefusal.NotAuthorized)]
    [InlineData("TrustsBounded", AssumeRoleRefusal.NotAuthorized)]
    [InlineData("Broken", AssumeRoleRefusal.NotAuthorized)]
    [InlineData("Nowhere", AssumeRoleRefusal.UnknownRole)]
    public void AssumeRole_CallerWhoseIdentityPolicyAllows_TrustPolicyDecides(string role, AssumeRoleRefusal expected)
    {
        var result = Directory.AssumeRole(Request(Session("Caller", "nightly"), role));

        Assert.Equal(expected, result.Refusal);
        Assert.Equal(expected == AssumeRoleRefusal.None, result.Credentials is not null);
    }

    [Fact]
    public void AssumeRole_TrustConditionOnTheSessionName_OtherNameRefused()
    {
        var result = Directory.AssumeRole(Request(Session("Caller", "nightly"), "ByTag", sessionName: "daily"));

        Assert.Equal(AssumeRoleRefusal.NotAuthorized, result.Refusal);
        Assert.Equal(Decision.ImplicitDeny, result.Decision.Decision);
    }

    [Fact]
    public void AssumeRole_TrustPolicyNamingTheRoleOfABoundedCaller_BoundaryMustAllow()
    {
        var byRole = Directory.AssumeRole(Request(Session("Bounded", "s"), "TrustsBounded"));
        var bySession = Directory.AssumeRole(Request(Session("Bounded", "s"), "TrustsBoundedSession"));

        Assert.Equal((AssumeRoleRefusal.NotAuthorized, PolicySource.PermissionsBoundary), (byRole.Refusal, byRole.Decision.Source));
        Assert.Equal(AssumeRoleRefusal.None, bySession.Refusal);
    }

    [Fact]
    public void AssumeRole_RoleWithoutATrustPolicy_CallersIdentityPoliciesDecide()
    {
        Assert.True(Directory.AssumeRole(Request(Session("Caller", "s"), "Untrusting")).IsIssued);
    }

    [Fact]
    public void AssumeRole_SourceIdentityWithoutSetSourceIdentityInTheTrustPolicy_Refused()
    {
        var refused = Directory.AssumeRole(Request(Session("Caller", "s"), "TrustsCaller") with { SetsSourceIdentity = true });
        var allowed = Directory.AssumeRole(Request(Session("Caller", "s"), "SourceIdentities") with { SetsSourceIdentity = true });

        Assert.Equal(AssumeRoleRefusal.SourceIdentityNotAuthorized, refused.Refusal);
        Assert.True(allowed.IsIssued);
    }

    [Theory]
    [InlineData(3600, AssumeRoleRefusal.None)]
    [InlineData(3601, AssumeRoleRefusal.ExceedsMaxSessionDuration)]
    public void AssumeRole_DurationAgainstTheRolesMaxSessionDuration(int seconds, AssumeRoleRefusal expected)
    {
        Assert.Equal(expected, Directory.AssumeRole(Request(Session("Caller", "s"), "TrustsCaller", seconds)).Refusal);
    }

    [Fact]
    public void AssumeRole_BrokenTrustPolicy_WarnedAndTrustsNoOne()
    {
        Assert.Contains(Directory.Warnings, w => w.Contains("trust policy of role Broken", StringComparison.Ordinal) && w.Contains("prohibited field Resource", StringComparison.Ordinal));
    }

    private static CallerIdentity Session(string role, string session) =>
        Directory.AssumeRole(RoleArn(role), session, DateTimeOffset.UtcNow)!.Value.Session;

    private static AssumeRoleRequest Request(CallerIdentity caller, string role, int seconds = 3600, string sessionName = "nightly")
    {
        var context = new RequestContext { Action = "sts:AssumeRole", Resource = RoleArn(role), Principal = caller.Principal, RequestTime = DateTimeOffset.UtcNow };
        context.Set("sts:RoleSessionName", sessionName);
        return new AssumeRoleRequest(caller, context, sessionName, seconds);
    }

    private static string RoleArn(string name) => $"arn:aws:iam::{Account}:role/{name}";

    private static IamRole Role(string name, string principal, string condition = "", string action = "\"sts:AssumeRole\"", string? deny = null, ImmutableArray<RolePolicy> policies = default, string? boundary = null) =>
        new(name, name, RoleArn(name), "AROA" + name.ToUpperInvariant(), policies.IsDefault ? [] : policies, boundary)
        {
            AssumeRolePolicy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":{{action}}{{condition}}}{{(deny is null ? "" : "," + deny)}}]}""",
        };
}
