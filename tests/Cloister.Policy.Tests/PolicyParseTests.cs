namespace Cloister.Policy.Tests;

public sealed class PolicyParseTests
{
    private static readonly ExecuteApiScope Api = new("eu-central-1", "111122223333", "abc123");

    private static string Padded(int sids)
    {
        var statements = Enumerable.Range(0, sids).Select(i =>
            $$"""{"Sid":"S{{i:D4}}","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/stage{{i:D4}}/GET/*"}""");
        return $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";
    }

    [Theory]
    [InlineData("arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", Decision.Allow)]
    [InlineData("arn:aws:execute-api:us-east-1:444455556666:other/prod/POST/x", Decision.Allow)]
    [InlineData("arn:aws:lambda:eu-central-1:111122223333:function:f", Decision.ImplicitDeny)]
    public void Parse_AuthorizerPolicyForEveryApi_IsValidAndCoversEveryMethod(string method, Decision expected)
    {
        // Lambda authorizers and role policies commonly return "arn:aws:execute-api:*": IAM accepts it, and its trailing *
        // expands beyond the colons (IAM policy reference, Resource element).
        var result = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*"}]}""", PolicyParseOptions.ForAuthorizer);

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(expected, result.Policy.Evaluate(new RequestContext { Resource = method }).Decision);
    }

    [Fact]
    public void Parse_ApiPolicyOverLimit_IsMalformed()
    {
        var json = Padded(100);
        Assert.True(json.Length > PolicyParseOptions.ApiResourcePolicyLimit);

        var result = Policy.Parse(json, PolicyParseOptions.ForApi(Api));

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Message.Contains("the limit is 8192", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ApiPolicyUnderLimitWithIndentation_IsValid()
    {
        var json = Padded(60).Replace(",", ",\n        ", StringComparison.Ordinal);
        Assert.True(json.Length > PolicyParseOptions.ApiResourcePolicyLimit);

        var result = Policy.Parse(json, PolicyParseOptions.ForApi(Api));

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(60, result.Policy.StatementCount);
    }

    [Fact]
    public void Parse_NoLimitByDefault_AcceptsLargePolicies()
    {
        var result = Policy.Parse(Padded(100).Replace("execute-api:/", "arn:aws:execute-api:*:*:x/", StringComparison.Ordinal));

        Assert.True(result.IsValid, result.ErrorMessage);
    }

    /// <summary>A valid endpoint policy indented with spaces to exactly <paramref name="length"/> characters.</summary>
    private static string EndpointPolicyOfLength(int length)
    {
        const string Head = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]""";
        return Head + new string(' ', length - Head.Length - 1) + "}";
    }

    [Fact]
    public void Parse_VpcEndpointPolicyOfExactlyTheLimit_IsValid()
    {
        var json = EndpointPolicyOfLength(PolicyParseOptions.VpcEndpointPolicyLimit);
        Assert.Equal(20480, json.Length);

        var result = Policy.Parse(json, PolicyParseOptions.ForVpcEndpoint);

        Assert.True(result.IsValid, result.ErrorMessage);
    }

    [Fact]
    public void Parse_VpcEndpointPolicyOneOverTheLimitInWhitespace_IsMalformed()
    {
        var json = EndpointPolicyOfLength(20481);

        var result = Policy.Parse(json, PolicyParseOptions.ForVpcEndpoint);

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("Policy document is 20481 characters long; the limit is 20480 (whitespace included).", problem.Message);
        Assert.True(Policy.Parse(json, PolicyParseOptions.Default).IsValid);
    }

    [Fact]
    public void Parse_VpcEndpointPolicyWithoutPrincipal_IsMalformed()
    {
        var result = Policy.Parse("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", PolicyParseOptions.ForVpcEndpoint);

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Message.StartsWith("Missing required field Principal", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ShorthandWithoutApi_IsMalformed()
    {
        var result = Policy.Parse(TestPolicies.Seed);

        Assert.False(result.IsValid);
        Assert.Equal("Statement[0].Resource", result.Problems[0].Path);
    }

    [Fact]
    public void Parse_AuthorizerPolicyWithPrincipal_IsMalformed()
    {
        var result = Policy.Parse(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]}""",
            PolicyParseOptions.ForAuthorizer);

        Assert.False(result.IsValid);
        Assert.Contains("should not specify a principal", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AuthorizerPolicy_AppliesToAnyCaller()
    {
        var result = Policy.Parse(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/*"}]}""",
            PolicyParseOptions.ForAuthorizer);
        var context = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/x" };

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(Decision.Allow, result.Policy.Evaluate(context).Decision);
    }

    [Fact]
    public void Parse_ValidPolicy_KeepsVersionIdAndSids()
    {
        var result = Policy.Parse(
            """{"Version":"2012-10-17","Id":"p1","Statement":[{"Sid":"One","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}""");

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal("2012-10-17", result.Policy.Version);
        Assert.Equal("p1", result.Policy.Id);
        Assert.Equal("One", result.Policy.GetSid(0));
        Assert.Null(result.Policy.GetSid(1));
    }

    [Fact]
    public void Parse_BoolWithPolicyVariable_ResolvesTheVariableAtEvaluation()
    {
        var result = Policy.Parse(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"${app:tls}"}}}]}""");
        var context = new RequestContext { Resource = "arn:aws:s3:::bucket", SecureTransport = true };

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(Decision.ImplicitDeny, result.Policy.Evaluate(context).Decision);
        context.Set("app:tls", "TRUE");
        Assert.Equal(Decision.Allow, result.Policy.Evaluate(context).Decision);
        context.Set("app:tls", "false");
        Assert.Equal(Decision.ImplicitDeny, result.Policy.Evaluate(context).Decision);
        context.Set("app:tls", "maybe");
        Assert.Equal(Decision.ImplicitDeny, result.Policy.Evaluate(context).Decision);
        Assert.True(result.Policy.ReadsKey("app:tls"));
    }

    [Fact]
    public void Parse_BoolWithVariableInOldVersion_IsMalformed()
    {
        var result = Policy.Parse(
            """{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"${app:tls}"}}}]}""");

        Assert.False(result.IsValid);
        Assert.Contains("must be true or false", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKeys_AreReported()
    {
        var result = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}""");

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Path == "Statement[0].Effect" && p.Message == "Duplicate element.");
    }

    [Fact]
    public void Explain_ImplicitDeny_SaysWhyEachStatementMissed()
    {
        var policy = Policy.Parse(TestPolicies.Seed, PolicyParseOptions.ForApi(Api)).Policy!;
        var context = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:other/dev/GET/claim", SourceVpce = TestPolicies.SeedEndpoint };

        var explanation = policy.Explain(context);

        Assert.Equal(Decision.ImplicitDeny, explanation.Decision);
        Assert.Empty(explanation.DecidingStatements);
        Assert.All(explanation.Statements, s => Assert.StartsWith("Resource does not cover", s.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("arn:aws:dynamodb:eu-central-1:111122223333:table/claims")]
    [InlineData("dynamodb:Get:Item")]
    public void Parse_ActionWithSecondColon_IsMalformedAsIamSays(string action)
    {
        // A table's ARN put in Action by mistake: IAM refuses it ("Actions/Condition can contain only one colon.").
        var result = Policy.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"*"}]}""", PolicyParseOptions.ForAuthorizer);

        AssertOneProblem(result, "Statement[0].Action", "Actions/Condition can contain only one colon.");
    }

    [Theory]
    [InlineData("allow-read")]
    [InlineData("Allow read")]
    [InlineData("allow_read")]
    public void Parse_IamIdentityPolicySidNotAlphanumeric_IsMalformedAsIamSays(string sid)
    {
        // IAM: "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)."
        var json = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Ok1","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"{{sid}}","Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";

        var result = Policy.Parse(json, new PolicyParseOptions(PolicyKind.Identity, MaxCharacters: 6144));

        AssertOneProblem(result, "Statement[1].Sid", "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
    }

    [Theory]
    [InlineData("allow-read")]
    [InlineData("Allow read from the VPC")]
    public void Parse_ResourceOrAuthorizerPolicySidWithOtherCharacters_IsValid(string sid)
    {
        // Resource-based policies of other services accept more than IAM does (spaces, hyphens); an authorizer's
        // policy is read by API Gateway, not IAM's validator.
        var resource = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"{{sid}}","Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";
        var authorizer = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"{{sid}}","Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}""";

        Assert.True(Policy.Parse(resource, PolicyParseOptions.ForApi(Api)).IsValid);
        Assert.True(Policy.Parse(resource.Replace("execute-api:/*", "*", StringComparison.Ordinal), PolicyParseOptions.ForVpcEndpoint).IsValid);
        Assert.True(Policy.Parse(authorizer, PolicyParseOptions.ForAuthorizer).IsValid);
    }

    [Fact]
    public void Parse_IamIdentityPolicyEmptyOrAlphanumericSid_IsValid()
    {
        var json = """{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"AllowAll2","Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";

        Assert.True(Policy.Parse(json, new PolicyParseOptions(PolicyKind.Identity)).IsValid);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:group/Developers")]
    [InlineData("arn:aws:iam::111122223333:policy/ReadOnly")]
    [InlineData("arn:aws:iam::111122223333:instance-profile/web")]
    [InlineData("arn:aws:iam::111122223333:saml-provider/corp")]
    [InlineData("arn:aws:sts::111122223333:role/Admin")]
    public void Parse_AwsPrincipalThatIsNoAuthenticatedIdentity_IsMalformed(string arn)
    {
        // IAM: "You cannot identify a user group as a principal in a policy ... principals are authenticated IAM entities":
        // the root, users, roles, role sessions and federated user sessions (a SAML provider goes under "Federated").
        var json = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{arn}}"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";

        AssertOneProblem(Policy.Parse(json, PolicyParseOptions.ForApi(Api)), "Statement[0].Principal.AWS", $"Invalid principal in policy: '{arn}' is not an account, user, role, role session or federated user.");
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:root")]
    [InlineData("arn:aws:iam::111122223333:user/division/alice")]
    [InlineData("arn:aws:iam::111122223333:role/service-role/Reader")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Reader/fn")]
    [InlineData("arn:aws:sts::111122223333:federated-user/Bob")]
    public void Parse_AwsPrincipalThatIsAnIdentity_IsValid(string arn)
    {
        var json = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{arn}}"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";

        Assert.True(Policy.Parse(json, PolicyParseOptions.ForApi(Api)).IsValid);
    }

    [Theory]
    [InlineData("Cost Center", "A-123", Decision.Allow)]
    [InlineData("Cost Center", "B-456", Decision.ImplicitDeny)]
    public void Evaluate_ConditionOnTagKeyWithSpace_ReadsTheCallersTag(string tagKey, string tagValue, Decision expected)
    {
        // IAM's Tag reference names "Cost Center" as a common tag key (its pattern allows spaces), so a policy reads it as
        // aws:PrincipalTag/Cost Center; the key is the caller's tag, not a malformed condition key.
        var json = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/Cost Center":"A-123"}}}]}""";
        var caller = RequestPrincipal.RoleSession(
            "arn:aws:sts::111122223333:assumed-role/Reader/fn", "arn:aws:iam::111122223333:role/Reader", DateTimeOffset.UnixEpoch,
            new Dictionary<string, string> { [tagKey] = tagValue });

        var result = Policy.Parse(json, PolicyParseOptions.ForAuthorizer);

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(expected, result.Policy.Evaluate(new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/x", Principal = caller }).Decision);
    }

    [Theory]
    [InlineData("aws:Source Vpce")]
    [InlineData("aws:PrincipalTag/a\\tb")]
    [InlineData(" aws:SourceVpce")]
    public void Parse_ConditionKeyWithSpaceOutsideTagKeyOrControlCharacter_IsMalformed(string key)
    {
        var json = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringEquals":{"KEY":"x"}}}]}""".Replace("KEY", key, StringComparison.Ordinal);

        Assert.Contains(Policy.Parse(json, PolicyParseOptions.ForAuthorizer).Problems, p => p.Message == "invalid condition key.");
    }

    private static void AssertOneProblem(PolicyParseResult result, string path, string message)
    {
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Equal(message, problem.Message);
    }
}
