using System.Collections.Immutable;
using Cloister.Model.Network;

namespace Cloister.Policy.Tests;

public sealed class IamAccessTests
{
    private const string Session = "arn:aws:sts::111122223333:assumed-role/Writer/fn";
    private const string Table = "arn:aws:dynamodb:eu-central-1:111122223333:table/claims";

    private static readonly PolicyDecision Allow = new(Decision.Allow, 0);
    private static readonly PolicyDecision Deny = new(Decision.ExplicitDeny, 1);
    private static readonly PolicyDecision Neither = PolicyDecision.Implicit;

    [Theory]
    [InlineData("Allow", null, null, null, "Allow", "Identity")]
    [InlineData("Neither", null, null, null, "ImplicitDeny", "Identity")]
    [InlineData("Deny", null, "Allow", null, "ExplicitDeny", "Identity")]
    [InlineData("Neither", null, "Allow", null, "Allow", "ResourcePolicy")]
    [InlineData("Allow", null, "Deny", null, "ExplicitDeny", "ResourcePolicy")]
    [InlineData("Neither", null, "Neither", null, "ImplicitDeny", "Identity")]
    [InlineData("Allow", null, null, "Neither", "ImplicitDeny", "EndpointPolicy")]
    [InlineData("Allow", null, null, "Deny", "ExplicitDeny", "EndpointPolicy")]
    [InlineData("Allow", null, "Allow", "Allow", "Allow", "Identity")]
    [InlineData("Allow", "Neither", null, null, "ImplicitDeny", "PermissionsBoundary")]
    [InlineData("Allow", "Allow", null, null, "Allow", "Identity")]
    [InlineData("Allow", "Deny", null, null, "ExplicitDeny", "PermissionsBoundary")]
    [InlineData("Neither", "Allow", null, null, "ImplicitDeny", "Identity")]
    [InlineData("Neither", "Neither", "Allow", null, "ImplicitDeny", "PermissionsBoundary")]
    [InlineData("Deny", "Deny", "Deny", "Deny", "ExplicitDeny", "Identity")]
    [InlineData("Allow", "Deny", "Deny", "Deny", "ExplicitDeny", "ResourcePolicy")]
    public void Decide_RoleInOneAccount_FollowsIamEvaluationLogic(string identity, string? boundary, string? resource, string? endpoint, string expected, string source)
    {
        var decision = IamAccess.Decide(Of(identity), OfOptional(boundary), OfOptional(resource), resourceNamesCaller: false, OfOptional(endpoint), isRoot: false);

        Assert.Equal(Enum.Parse<Decision>(expected), decision.Decision);
        Assert.Equal(Enum.Parse<PolicySource>(source), decision.Source);
    }

    [Fact]
    public void Decide_ResourcePolicyNamesTheSession_NotLimitedByBoundary()
    {
        var decision = IamAccess.Decide(Neither, Neither, Allow, resourceNamesCaller: true, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.Allow, PolicySource.ResourcePolicy, -1, 0), decision);
    }

    [Fact]
    public void Decide_ResourcePolicyNamesTheSessionButBoundaryDenies_ExplicitDeny()
    {
        var decision = IamAccess.Decide(Neither, Deny, Allow, resourceNamesCaller: true, null, isRoot: false);

        Assert.Equal(PolicySource.PermissionsBoundary, decision.Source);
        Assert.Equal(Decision.ExplicitDeny, decision.Decision);
    }

    [Theory]
    [InlineData("Allow", "Allow", null, false, false, "Allow", "Identity")]
    [InlineData("Allow", "Neither", null, false, false, "ImplicitDeny", "SessionPolicy")]
    [InlineData("Allow", "Deny", null, false, false, "ExplicitDeny", "SessionPolicy")]
    [InlineData("Neither", "Allow", null, false, false, "ImplicitDeny", "Identity")]
    [InlineData("Neither", "Allow", "Allow", false, false, "Allow", "ResourcePolicy")]
    [InlineData("Neither", "Neither", "Allow", false, false, "ImplicitDeny", "SessionPolicy")]
    [InlineData("Neither", "Neither", "Allow", true, false, "ImplicitDeny", "SessionPolicy")]
    [InlineData("Neither", "Neither", "Allow", true, true, "Allow", "ResourcePolicy")]
    [InlineData("Neither", "Deny", "Allow", true, true, "ExplicitDeny", "SessionPolicy")]
    public void Decide_SessionPolicies_IntersectedUnlessTheResourcePolicyNamesTheSession(
        string identity, string session, string? resource, bool namesCaller, bool namesSession, string expected, string source)
    {
        var decision = IamAccess.Decide(Of(identity), null, OfOptional(resource), namesCaller, null, isRoot: false, Of(session), namesSession);

        Assert.Equal(Enum.Parse<Decision>(expected), decision.Decision);
        Assert.Equal(Enum.Parse<PolicySource>(source), decision.Source);
    }

    [Fact]
    public void Decide_ResourcePolicyNamesTheCallerPastItsBoundaryButNoSessionPolicyAllows_ImplicitDenyOfTheSessionPolicy()
    {
        var decision = IamAccess.Decide(Neither, Neither, Allow, resourceNamesCaller: true, null, isRoot: false, sessionPolicy: Neither);

        Assert.Equal((Decision.ImplicitDeny, PolicySource.SessionPolicy), (decision.Decision, decision.Source));
    }

    [Theory]
    [InlineData(null, null, "Allow", "None")]
    [InlineData("Deny", null, "ExplicitDeny", "ResourcePolicy")]
    [InlineData("Neither", null, "Allow", "None")]
    [InlineData(null, "Neither", "ImplicitDeny", "EndpointPolicy")]
    [InlineData(null, "Deny", "ExplicitDeny", "EndpointPolicy")]
    public void Decide_Root_IgnoresIdentityPoliciesAndBoundary(string? resource, string? endpoint, string expected, string source)
    {
        var decision = IamAccess.Decide(Deny, Deny, OfOptional(resource), resourceNamesCaller: false, OfOptional(endpoint), isRoot: true);

        Assert.Equal(Enum.Parse<Decision>(expected), decision.Decision);
        Assert.Equal(Enum.Parse<PolicySource>(source), decision.Source);
    }

    [Fact]
    public void Evaluate_SecondIdentityPolicyAllows_ReportsWhichPolicy()
    {
        var identity = ImmutableArray.Create(Identity("dynamodb:GetItem", Table), Identity("dynamodb:PutItem", Table));
        var context = Context("dynamodb:PutItem");

        var decision = IamAccess.Evaluate(context, identity, null, null, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.Allow, PolicySource.Identity, 1, 0), decision);
    }

    [Fact]
    public void Evaluate_ResourcePolicyGrantsSessionByName_AllowedDespiteBoundary()
    {
        var boundary = Identity("dynamodb:GetItem", "*");
        var resource = Resource($$"""{"AWS": "{{Session}}"}""", "Allow");

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [], boundary, resource, null, isRoot: false);

        Assert.Equal(Decision.Allow, decision.Decision);
        Assert.Equal(PolicySource.ResourcePolicy, decision.Source);
    }

    [Fact]
    public void Evaluate_ResourcePolicyGrantsTheRole_LimitedByBoundary()
    {
        var boundary = Identity("dynamodb:GetItem", "*");
        var resource = Resource("""{"AWS": "arn:aws:iam::111122223333:role/Writer"}""", "Allow");

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [], boundary, resource, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.ImplicitDeny, PolicySource.PermissionsBoundary, -1, -1), decision);
    }

    [Fact]
    public void Evaluate_ResourcePolicyGrantsTheRoleWithoutBoundary_Allowed()
    {
        var resource = Resource("""{"AWS": "arn:aws:iam::111122223333:role/Writer"}""", "Allow");

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [], null, resource, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.Allow, PolicySource.ResourcePolicy, -1, 0), decision);
    }

    [Theory]
    [InlineData("111122223333")]
    [InlineData("arn:aws:iam::111122223333:root")]
    public void Evaluate_ResourcePolicyNamesTheAccount_DoesNotAllowARoleWithoutIdentityPolicy(string account)
    {
        var resource = Resource($$"""{"AWS": "{{account}}"}""", "Allow");

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [], null, resource, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.ImplicitDeny, PolicySource.Identity, -1, -1), decision);
    }

    [Fact]
    public void Evaluate_ResourcePolicyNamesTheAccount_AllowsItsRootAndLeavesRolesToTheirPolicies()
    {
        var resource = Resource("""{"AWS": "111122223333"}""", "Allow");
        var root = Context("dynamodb:PutItem");
        root.Principal = RequestPrincipal.Aws("arn:aws:iam::111122223333:root");

        Assert.True(IamAccess.Evaluate(root, [], null, resource, null, isRoot: true).IsAllowed);
        Assert.Equal(PolicySource.Identity, IamAccess.Evaluate(Context("dynamodb:PutItem"), [Identity("dynamodb:PutItem", Table)], null, resource, null, isRoot: false).Source);
    }

    [Fact]
    public void Evaluate_ResourcePolicyDeniesTheAccount_DeniesItsRoles()
    {
        var resource = Resource("""{"AWS": "111122223333"}""", "Deny");

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [Identity("dynamodb:*", "*")], null, resource, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, -1, 0), decision);
    }

    [Fact]
    public void Evaluate_WildcardGrantWithPrincipalArnCondition_NotLimitedByBoundary()
    {
        var boundary = Identity("dynamodb:GetItem", "*");
        var resource = Policy.Parse($$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dynamodb:*","Resource":"{{Table}}",
             "Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Writer"} } }]}
            """).Policy!;

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [], boundary, resource, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.Allow, PolicySource.ResourcePolicy, -1, 0), decision);
    }

    [Fact]
    public void Evaluate_WildcardGrantWithoutPrincipalArnCondition_LimitedByBoundary()
    {
        var boundary = Identity("dynamodb:GetItem", "*");
        var resource = Resource("\"*\"", "Allow");

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [], boundary, resource, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.ImplicitDeny, PolicySource.PermissionsBoundary, -1, -1), decision);
    }

    [Fact]
    public void Evaluate_NotPrincipalDenyListingTheCallerWithBoundary_ExplicitDeny()
    {
        var identity = ImmutableArray.Create(Identity("dynamodb:*", "*"));
        var resource = Policy.Parse($$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["{{Session}}","arn:aws:iam::111122223333:role/Writer","111122223333"]},
             "Action":"dynamodb:*","Resource":"{{Table}}"}]}
            """).Policy!;

        var bounded = IamAccess.Evaluate(Context("dynamodb:PutItem"), identity, Identity("dynamodb:*", "*"), resource, null, isRoot: false);
        var unbounded = IamAccess.Evaluate(Context("dynamodb:PutItem"), identity, null, resource, null, isRoot: false);

        Assert.Equal(new IamDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, -1, 0), bounded);
        Assert.True(unbounded.IsAllowed);
    }

    [Theory]
    [InlineData("111122223333")]
    [InlineData("arn:aws:iam::111122223333:root")]
    public void Evaluate_GatewayEndpointPolicyNamesTheAccount_AdmitsOnlyItsRoot(string account)
    {
        var endpoint = Resource($$"""{"AWS": "{{account}}"}""", "Allow");
        var identity = ImmutableArray.Create(Identity("dynamodb:*", "*"));
        var root = Context("dynamodb:PutItem");
        root.Principal = RequestPrincipal.Aws("arn:aws:iam::111122223333:root");

        var session = IamAccess.Evaluate(Context("dynamodb:PutItem"), identity, null, null, endpoint, isRoot: false, VpcEndpointType.Gateway);
        var throughInterface = IamAccess.Evaluate(Context("dynamodb:PutItem"), identity, null, null, endpoint, isRoot: false, VpcEndpointType.Interface);

        Assert.Equal(new IamDecision(Decision.ImplicitDeny, PolicySource.EndpointPolicy, -1, -1), session);
        Assert.True(IamAccess.Evaluate(root, [], null, null, endpoint, isRoot: true, VpcEndpointType.Gateway).IsAllowed);
        Assert.True(throughInterface.IsAllowed);
    }

    [Fact]
    public void Evaluate_GatewayEndpointPolicyPicksTheRoleByPrincipalArn_AdmitsItsSessions()
    {
        var endpoint = Resource("\"*\"", "Allow", """{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Writer"}}""");

        var decision = IamAccess.Evaluate(Context("dynamodb:PutItem"), [Identity("dynamodb:*", "*")], null, null, endpoint, isRoot: false, VpcEndpointType.Gateway);

        Assert.True(decision.IsAllowed);
    }

    [Fact]
    public void Evaluate_RootWithResourceDeny_ExplicitDeny()
    {
        var context = Context("dynamodb:PutItem");
        context.Principal = RequestPrincipal.Aws("arn:aws:iam::111122223333:root");
        var resource = Resource("\"*\"", "Deny");

        Assert.Equal(new IamDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, -1, 0), IamAccess.Evaluate(context, [], null, resource, null, isRoot: true));
        Assert.Equal(new IamDecision(Decision.Allow, PolicySource.None, -1, -1), IamAccess.Evaluate(context, [], null, null, null, isRoot: true));
    }

    [Fact]
    public void Evaluate_CallerIdentity_UsesItsPoliciesAndBoundary()
    {
        var caller = new CallerIdentity(RequestPrincipal.Aws(Session), "AROAEXAMPLE:fn", null, [Identity("dynamodb:*", "*")], Identity("dynamodb:GetItem", "*"), IsRoot: false);

        Assert.Equal(PolicySource.PermissionsBoundary, IamAccess.Evaluate(Context("dynamodb:PutItem"), caller, null, null).Source);
        Assert.True(IamAccess.Evaluate(Context("dynamodb:GetItem"), caller, null, null).IsAllowed);
    }

    [Fact]
    public void Evaluate_ContextWithTheCallersPrincipal_SeesItsUserId()
    {
        // The gateway puts only caller.Principal in the context; aws:userid must come with it, as IAM fills it for every signed request.
        var caller = new CallerIdentity(RequestPrincipal.Aws(Session), "AROAEXAMPLE:fn", null, [], null, IsRoot: false);
        var resource = Resource("\"*\"", "Allow", """{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}""");
        var context = Context("dynamodb:GetItem");
        context.Principal = caller.Principal;

        var decision = IamAccess.Evaluate(context, caller, resource, null);

        Assert.Equal(new IamDecision(Decision.Allow, PolicySource.ResourcePolicy, -1, 0), decision);
    }

    [Fact]
    public void Evaluate_RootWithoutUserIdSet_UserIdIsTheAccount()
    {
        var context = Context("dynamodb:GetItem");
        context.Principal = RequestPrincipal.Aws("111122223333");
        var resource = Resource("\"*\"", "Deny", """{"StringEquals":{"aws:userid":"111122223333"}}""");

        Assert.Equal(Decision.ExplicitDeny, IamAccess.Evaluate(context, [], null, resource, null, isRoot: true).Decision);
    }

    [Fact]
    public void Evaluate_DataPerimeterDenyOutsideEndpoint_DeniesRoleSession()
    {
        // AWS's data-perimeter statement: aws:PrincipalIsAWSService is false for every signed request by an IAM principal.
        var resource = Policy.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Tables","Effect":"Allow","Principal":"*","Action":"dynamodb:*","Resource":"TABLE"},
              {"Sid":"Perimeter","Effect":"Deny","Principal":"*","Action":"dynamodb:*","Resource":"TABLE",
               "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"},"Bool":{"aws:PrincipalIsAWSService":"false"}}}]}
            """.Replace("TABLE", Table, StringComparison.Ordinal)).Policy!;
        var context = Context("dynamodb:GetItem");

        Assert.Equal(new IamDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, -1, 1), IamAccess.Evaluate(context, [], null, resource, null, isRoot: false));
        context.SourceVpce = "vpce-1";
        Assert.Equal(Decision.Allow, IamAccess.Evaluate(context, [], null, resource, null, isRoot: false).Decision);
    }

    [Fact]
    public void Evaluate_EveryPolicyPresent_AllocatesNothing()
    {
        var identity = ImmutableArray.Create(Identity("dynamodb:GetItem", Table), Identity("dynamodb:PutItem", Table));
        var boundary = Identity("dynamodb:GetItem", "*");
        var resource = Resource($$"""{"AWS": "{{Session}}"}""", "Allow");
        var endpoint = Resource("\"*\"", "Allow");
        var context = Context("dynamodb:PutItem");
        IamAccess.Evaluate(context, identity, boundary, resource, endpoint, isRoot: false);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            IamAccess.Evaluate(context, identity, boundary, resource, endpoint, isRoot: false);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(IamAccess.Evaluate(context, identity, boundary, resource, endpoint, isRoot: false).IsAllowed);
    }

    private static RequestContext Context(string action) =>
        new() { Action = action, Resource = Table, Principal = RequestPrincipal.Aws(Session) };

    private static Policy Identity(string action, string resource) =>
        Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""", new PolicyParseOptions(PolicyKind.Identity)).Policy!;

    private static Policy Resource(string principal, string effect, string? condition = null) =>
        Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Principal":{{principal}},"Action":"dynamodb:*","Resource":"{{Table}}"{{(condition is null ? "" : ",\"Condition\":" + condition)}}}]}""").Policy!;

    private static PolicyDecision Of(string name) => name switch
    {
        "Allow" => Allow,
        "Deny" => Deny,
        _ => Neither,
    };

    private static PolicyDecision? OfOptional(string? name) => name is null ? null : Of(name);
}
