namespace Cloister.Policy.Tests;

public sealed class ApiGatewayAccessTests
{
    private const string Method = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim";

    private static readonly PolicyDecision Allow = new(Decision.Allow, 0);
    private static readonly PolicyDecision Deny = new(Decision.ExplicitDeny, 1);
    private static readonly PolicyDecision Neither = PolicyDecision.Implicit;

    [Theory]
    [InlineData("Allow", null, "Allow", "ResourcePolicy")]
    [InlineData("Neither", null, "ImplicitDeny", "ResourcePolicy")]
    [InlineData("Deny", null, "ExplicitDeny", "ResourcePolicy")]
    [InlineData("Allow", "Allow", "Allow", "Authorizer")]
    [InlineData("Allow", "Deny", "ExplicitDeny", "Authorizer")]
    [InlineData("Neither", "Allow", "Allow", "Authorizer")]
    [InlineData("Neither", "Deny", "ExplicitDeny", "Authorizer")]
    [InlineData("Neither", "Neither", "ImplicitDeny", "Authorizer")]
    [InlineData("Deny", "Allow", "ExplicitDeny", "ResourcePolicy")]
    public void Decide_ResourcePolicyAndAuthorizer_FollowApiGatewayTable(string resource, string? authorizer, string expected, string source)
    {
        var decision = ApiGatewayAccess.Decide(Parse(resource), isPrivateApi: true, authorizer: authorizer is null ? null : Parse(authorizer));

        Assert.Equal(Enum.Parse<Decision>(expected), decision.Decision);
        Assert.Equal(Enum.Parse<PolicySource>(source), decision.Source);
    }

    [Theory]
    [InlineData("Allow", "Allow", "Allow", "Identity")]
    [InlineData("Allow", "Neither", "Allow", "ResourcePolicy")]
    [InlineData("Neither", "Allow", "Allow", "Identity")]
    [InlineData("Neither", "Neither", "ImplicitDeny", "Identity")]
    [InlineData("Deny", "Allow", "ExplicitDeny", "ResourcePolicy")]
    [InlineData("Allow", "Deny", "ExplicitDeny", "Identity")]
    public void Evaluate_ResourcePolicyAndIamIdentity_FollowApiGatewaySameAccountTable(string resource, string identity, string expected, string source)
    {
        var caller = Caller(boundary: null, Statement(identity, principal: null));

        var decision = ApiGatewayAccess.Evaluate(Request(caller), Statement(resource, "\"*\""), isPrivateApi: true, caller: caller);

        Assert.Equal(Enum.Parse<Decision>(expected), decision.Decision);
        Assert.Equal(Enum.Parse<PolicySource>(source), decision.Source);
    }

    [Fact]
    public void DecideForIamCaller_IdentityAllowsButEndpointPolicyDoesNot_Denies()
    {
        var iam = new IamDecision(Decision.ImplicitDeny, PolicySource.EndpointPolicy, -1, -1);

        var decision = ApiGatewayAccess.DecideForIamCaller(iam, hasResourcePolicy: true, isPrivateApi: true);

        Assert.Equal(new AccessDecision(Decision.ImplicitDeny, PolicySource.EndpointPolicy, -1), decision);
    }

    [Fact]
    public void DecideForIamCaller_IamAllowsButDomainPolicyDoesNot_Denies()
    {
        var iam = new IamDecision(Decision.Allow, PolicySource.Identity, 0, 0);

        Assert.Equal(new AccessDecision(Decision.ImplicitDeny, PolicySource.DomainPolicy, -1), ApiGatewayAccess.DecideForIamCaller(iam, true, true, domainPolicy: Neither));
        Assert.Equal(new AccessDecision(Decision.ExplicitDeny, PolicySource.DomainPolicy, 1), ApiGatewayAccess.DecideForIamCaller(iam, true, true, domainPolicy: Deny));
    }

    [Fact]
    public void Decide_EndpointPolicyWithoutAllow_Denies()
    {
        var decision = ApiGatewayAccess.Decide(Allow, isPrivateApi: true, endpointPolicy: Neither);

        Assert.Equal(new AccessDecision(Decision.ImplicitDeny, PolicySource.EndpointPolicy, -1), decision);
    }

    [Fact]
    public void Decide_DenyInDomainPolicy_WinsOverEveryAllow()
    {
        var decision = ApiGatewayAccess.Decide(Allow, isPrivateApi: true, endpointPolicy: Allow, authorizer: Allow, domainPolicy: Deny);

        Assert.Equal(new AccessDecision(Decision.ExplicitDeny, PolicySource.DomainPolicy, 1), decision);
    }

    [Fact]
    public void Decide_DomainPolicyWithoutAllow_Denies()
    {
        Assert.Equal(PolicySource.DomainPolicy, ApiGatewayAccess.Decide(Allow, isPrivateApi: true, domainPolicy: Neither).Source);
    }

    [Theory]
    [InlineData(true, "ImplicitDeny")]
    [InlineData(false, "Allow")]
    public void Decide_NoResourcePolicy_DependsOnEndpointType(bool isPrivate, string expected)
    {
        Assert.Equal(Enum.Parse<Decision>(expected), ApiGatewayAccess.Decide(null, isPrivate).Decision);
    }

    [Fact]
    public void Decide_PrivateApiWithoutPolicyAuthorizerAllows_ImplicitDeny()
    {
        var decision = ApiGatewayAccess.Decide(null, isPrivateApi: true, authorizer: Allow);

        Assert.Equal(new AccessDecision(Decision.ImplicitDeny, PolicySource.ResourcePolicy, -1), decision);
    }

    [Fact]
    public void Evaluate_PrivateApiWithoutPolicyIamCallerAllowed_ImplicitDeny()
    {
        var caller = Caller(boundary: null, Identity("execute-api:Invoke", "*"));

        var decision = ApiGatewayAccess.Evaluate(Request(caller), resourcePolicy: null, isPrivateApi: true, caller: caller);

        Assert.Equal(new AccessDecision(Decision.ImplicitDeny, PolicySource.ResourcePolicy, -1), decision);
    }

    [Fact]
    public void Evaluate_IamCallerRoleGrantedByResourcePolicyOutsideBoundary_ImplicitDeny()
    {
        var caller = Caller(Identity("dynamodb:*", "*"));
        var resource = Policy.Parse($$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Writer"},"Action":"execute-api:Invoke","Resource":"{{Method}}"}]}
            """).Policy!;

        var decision = ApiGatewayAccess.Evaluate(Request(caller), resource, isPrivateApi: true, caller: caller);

        Assert.Equal(new AccessDecision(Decision.ImplicitDeny, PolicySource.PermissionsBoundary, -1), decision);
    }

    [Fact]
    public void Evaluate_SeedPolicyAndEndpointPolicy_CombineOnARealRequest()
    {
        var api = new ExecuteApiScope("eu-central-1", "111122223333", "abc123");
        var resource = Policy.Parse(TestPolicies.Seed, PolicyParseOptions.ForApi(api)).Policy!;
        var endpoint = Policy.Parse(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:abc123/*"}]}""").Policy!;
        var context = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", SourceVpce = TestPolicies.SeedEndpoint };

        Assert.Equal(Decision.Allow, ApiGatewayAccess.Evaluate(context, resource, isPrivateApi: true, endpointPolicy: endpoint).Decision);

        context.Resource = "arn:aws:execute-api:eu-central-1:111122223333:zzz999/dev/GET/claim";
        Assert.Equal(Decision.ImplicitDeny, ApiGatewayAccess.Evaluate(context, resource, isPrivateApi: true, endpointPolicy: endpoint).Decision);

        context.Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim";
        context.SourceVpce = "vpce-other";
        var denied = ApiGatewayAccess.Evaluate(context, resource, isPrivateApi: true, endpointPolicy: endpoint);
        Assert.Equal(new AccessDecision(Decision.ExplicitDeny, PolicySource.ResourcePolicy, 1), denied);
    }

    private static CallerIdentity Caller(Policy? boundary, params Policy[] identity) =>
        new(RequestPrincipal.Aws("arn:aws:sts::111122223333:assumed-role/Writer/fn"), "AROAWRITER:fn", null, [.. identity], boundary, IsRoot: false);

    private static RequestContext Request(CallerIdentity caller) => new() { Resource = Method, Principal = caller.Principal };

    /// <summary>A policy whose one statement has <paramref name="effect"/> on the method, or ("Neither") applies to another action.</summary>
    private static Policy Statement(string effect, string? principal)
    {
        var action = effect == "Neither" ? "execute-api:ManageConnections" : "execute-api:Invoke";
        var principalElement = principal is null ? string.Empty : $"\"Principal\":{principal},";
        var options = principal is null ? PolicyParseOptions.ForAuthorizer : PolicyParseOptions.Default;
        return Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"{{(effect == "Deny" ? "Deny" : "Allow")}}",{{principalElement}}"Action":"{{action}}","Resource":"{{Method}}"}]}""", options).Policy!;
    }

    private static Policy Identity(string action, string resource) =>
        Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""", PolicyParseOptions.ForAuthorizer).Policy!;

    private static PolicyDecision Parse(string name) => name switch
    {
        "Allow" => Allow,
        "Deny" => Deny,
        _ => Neither,
    };
}
