namespace Cloister.Policy.Tests.Parsing;

/// <summary>The documents IAM's validator refuses or takes, with its MalformedPolicyDocument wording where it has one.</summary>
public sealed class PolicyParserIamRulesTests
{
    private static string WithResource(string resource) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"{{resource}}"}]}""";

    private static string WithAction(string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"*"}]}""";

    [Theory]
    [InlineData("arn:aws:execute-*:eu-central-1:111122223333:abc123/*")]
    [InlineData("arn:aws:*:*:111122223333:*")]
    [InlineData("arn:aws:*")]
    [InlineData("arn:aws:execute-ap?:eu-central-1:111122223333:abc123/*")]
    [InlineData("arn:aws::eu-central-1:111122223333:abc123/*")]
    [InlineData("arn:aws:")]
    [InlineData("arn:aws")]
    public void Parse_ResourceWithoutAFullyNamedService_IsMalformedInIamsWords(string resource)
    {
        // The IAM policy reference: "You cannot use a wildcard in the service segment that identifies the AWS product";
        // IAM refuses such a document with this text.
        var result = Policy.Parse(WithResource(resource), new PolicyParseOptions(PolicyKind.Identity));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Statement[0].Resource", problem.Path);
        Assert.Equal("Resource vendor must be fully qualified and cannot contain regexes.", problem.Message);
    }

    [Fact]
    public void Parse_NotResourceWithWildcardService_IsMalformed()
    {
        var json = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","NotResource":"arn:aws:*:*:*:*"}]}""";

        var problem = Assert.Single(Policy.Parse(json, new PolicyParseOptions(PolicyKind.Identity)).Problems);

        Assert.Equal("Statement[0].NotResource", problem.Path);
    }

    [Theory]
    [InlineData("arn:aws:execute-api", "arn:aws:execute-api", Decision.Allow)]
    [InlineData("arn:aws:execute-api", "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/x", Decision.ImplicitDeny)]
    [InlineData("arn:aws:execute-api:*", "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/x", Decision.Allow)]
    [InlineData("arn:aws:execute-api:eu-central-1:*:abc123/*", "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/x", Decision.Allow)]
    public void Parse_ResourceNamingItsServiceWithFewerParts_IsValidAndMatchesAsWritten(string resource, string arn, Decision expected)
    {
        // IAM takes arn:PARTITION:SERVICE with anything after it; only a * ending a segment reaches past its colons.
        var result = Policy.Parse(WithResource(resource), new PolicyParseOptions(PolicyKind.Identity));

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(expected, result.Policy.Evaluate(new RequestContext { Resource = arn }).Decision);
    }

    [Theory]
    [InlineData("s3.s:ListBucket")]
    [InlineData("execute-api:Invoke")]
    [InlineData("a-b.c:*")]
    public void Parse_ActionVendorOfLettersDigitsHyphensAndDots_IsValid(string action)
    {
        var result = Policy.Parse(WithAction(action), new PolicyParseOptions(PolicyKind.Identity));

        Assert.True(result.IsValid, result.ErrorMessage);
    }

    [Theory]
    [InlineData("Invoke", "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    [InlineData("", "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    [InlineData("a a:ListBucket", "Vendor a a is not valid")]
    [InlineData("s3:List:Bucket", "Actions/Condition can contain only one colon.")]
    public void Parse_MalformedAction_IsRefusedInIamsWords(string action, string message)
    {
        var problem = Assert.Single(Policy.Parse(WithAction(action), new PolicyParseOptions(PolicyKind.Identity)).Problems);

        Assert.Equal("Statement[0].Action", problem.Path);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("\"Action\":[],\"Resource\":\"*\"", "Statement[0].Action", "Policy statement must contain actions.")]
    [InlineData("\"NotAction\":[],\"Resource\":\"*\"", "Statement[0].NotAction", "Policy statement must contain actions.")]
    [InlineData("\"Action\":\"*\",\"Resource\":[]", "Statement[0].Resource", "Policy statement must contain resources.")]
    [InlineData("\"Action\":\"*\",\"NotResource\":[]", "Statement[0].NotResource", "Policy statement must contain resources.")]
    [InlineData("\"Resource\":\"*\"", "Statement[0]", "Policy statement must contain actions.")]
    [InlineData("\"Action\":\"*\"", "Statement[0]", "Policy statement must contain resources.")]
    public void Parse_StatementWithoutActionsOrResources_IsRefusedInIamsWords(string elements, string path, string message)
    {
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," + elements + "}]}";

        var problem = Assert.Single(Policy.Parse(json, new PolicyParseOptions(PolicyKind.Identity)).Problems);

        Assert.Equal(path, problem.Path);
        Assert.Equal(message, problem.Message);
    }

    private static readonly PolicyParseOptions ManagedPolicy = new(PolicyKind.Identity) { RequiresCurrentVersion = true };

    [Theory]
    [InlineData("\"Version\":\"2008-10-17\",", "Version")]
    [InlineData("", "")]
    public void Parse_ManagedPolicyOfTheOldVersionOrNone_IsMalformedInIamsWords(string version, string path)
    {
        var json = "{" + version + "\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}}";

        var problem = Assert.Single(Policy.Parse(json, ManagedPolicy).Problems);

        Assert.Equal(path, problem.Path);
        Assert.Equal("Policy document must be version 2012-10-17 or greater.", problem.Message);
    }

    [Fact]
    public void Parse_ManagedPolicyOfAnUnknownVersion_ReportsTheVersionOnce()
    {
        var json = """{"Version":"2013-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}""";

        var problem = Assert.Single(Policy.Parse(json, ManagedPolicy).Problems);

        Assert.Equal("Version", problem.Path);
        Assert.StartsWith("The policy must contain a valid version string", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Version\":\"2008-10-17\",")]
    [InlineData("")]
    public void Parse_InlinePolicyOfTheOldVersionOrNone_IsValid(string version)
    {
        var json = "{" + version + "\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}}";

        var result = Policy.Parse(json, new PolicyParseOptions(PolicyKind.Identity));

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal("2008-10-17", result.Policy.Version);
    }

    [Theory]
    [InlineData("Principal")]
    [InlineData("NotPrincipal")]
    public void Parse_IdentityPolicyNamingAPrincipal_IsMalformedInIamsWords(string element)
    {
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"" + element + "\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";

        var problem = Assert.Single(Policy.Parse(json, new PolicyParseOptions(PolicyKind.Identity)).Problems);

        Assert.Equal("Statement." + element, problem.Path);
        Assert.Equal("Policy document should not specify a principal.", problem.Message);
    }

    [Theory]
    [InlineData("StringEquals", Decision.ImplicitDeny)]
    [InlineData("StringNotEquals", Decision.Allow)]
    public void Parse_ConditionKeyWithoutService_IsValidAndNeverInTheRequest(string op, Decision expected)
    {
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"" + op + "\":{\"SourceVpce\":\"vpce-1\"}}}}";
        var context = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/x", SourceVpce = "vpce-1" };

        var result = Policy.Parse(json);

        Assert.True(result.IsValid, result.ErrorMessage);
        Assert.Equal(expected, result.Policy.Evaluate(context).Decision);
    }

    [Theory]
    [InlineData("{\"StringEquals\":{}}", "Statement.Condition.StringEquals")]
    [InlineData("{\"StringEquals\":{\"aws:SourceVpce\":[]}}", "Statement.Condition.StringEquals.aws:SourceVpce")]
    [InlineData("{\"Foo\":{}}", "Statement.Condition.Foo")]
    public void Parse_EmptyConditionBlock_IsMalformed(string condition, string path)
    {
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":" + condition + "}}";

        var problem = Assert.Single(Policy.Parse(json).Problems);

        Assert.Equal(path, problem.Path);
    }

    [Theory]
    [InlineData("arn:aws:iam:eu-central-1:111122223333:role/Reader")]
    [InlineData("arn:aws:iam:*:111122223333:role/*")]
    [InlineData("arn:aws:iam:*")]
    public void Parse_IamResourceWithARegion_IsMalformedInIamsWords(string resource)
    {
        var problem = Assert.Single(Policy.Parse(WithResource(resource), new PolicyParseOptions(PolicyKind.Identity)).Problems);

        Assert.Equal($"IAM resource {resource} cannot contain region information.", problem.Message);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/Reader")]
    [InlineData("arn:aws:iam::*:role/*")]
    [InlineData("arn:aws:iam")]
    [InlineData("arn:aws:iam:")]
    [InlineData("arn:aws:dynamodb:eu-central-1:111122223333:table/claims")]
    public void Parse_IamResourceWithoutARegion_IsValid(string resource)
    {
        var result = Policy.Parse(WithResource(resource), new PolicyParseOptions(PolicyKind.Identity));

        Assert.True(result.IsValid, result.ErrorMessage);
    }
}
