namespace Cloister.Policy.Tests;

public sealed class RequestContextTests
{
    [Fact]
    public void Set_KnownKeyInAnyCase_FillsTheProperty()
    {
        var context = new RequestContext();

        context.Set("AWS:sourcevpce", "vpce-1");

        Assert.Equal("vpce-1", context.SourceVpce);
    }

    [Fact]
    public void Set_TimeKeys_ParseIsoAndEpoch()
    {
        var context = new RequestContext();

        context.Set("aws:EpochTime", "1763805600");
        Assert.Equal(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero), context.RequestTime);

        context.Set("aws:CurrentTime", "2026-01-02T03:04:05Z");
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), context.RequestTime);
    }

    [Theory]
    [InlineData("aws:CurrentTime", "yesterday")]
    [InlineData("aws:SecureTransport", "maybe")]
    [InlineData("aws:TokenIssueTime", "1/2/2030")]
    public void Set_BadTypedValue_Throws(string key, string value)
    {
        Assert.Throws<ArgumentException>(() => new RequestContext().Set(key, value));
    }

    [Fact]
    public void Add_SingleValuedKeyTwice_Throws()
    {
        var context = new RequestContext();
        context.Add("aws:SourceVpce", "vpce-1");

        Assert.Throws<ArgumentException>(() => context.Add("aws:SourceVpce", "vpce-2"));
    }

    [Theory]
    [InlineData("aws:ViaAWSService")]
    [InlineData("aws:MultiFactorAuthPresent")]
    public void Add_KeyFilledFromThePrincipal_OverridesWhatItWouldBe(string key)
    {
        // These keys have a value without being set (false for a role session); a first Add still sets them.
        var context = new RequestContext { Principal = RequestPrincipal.Aws("arn:aws:sts::111122223333:assumed-role/R/s") };
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"KEY":"true"}}}]}""".Replace("KEY", key, StringComparison.Ordinal)).Policy!;

        context.Add(key, "true");

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
        Assert.Throws<ArgumentException>(() => context.Add(key, "false"));
    }

    [Fact]
    public void Reset_AfterUse_ForgetsEverything()
    {
        var context = new RequestContext { SourceVpce = "v", SecureTransport = true, RequestTime = DateTimeOffset.UnixEpoch, Resource = "r" };
        context.Add("aws:TagKeys", "a");
        context.Principal = RequestPrincipal.Aws("111122223333");

        context.Reset();

        Assert.Null(context.SourceVpce);
        Assert.Null(context.SecureTransport);
        Assert.Null(context.RequestTime);
        Assert.Same(RequestPrincipal.Anonymous, context.Principal);
        Assert.Equal(string.Empty, context.Resource);
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"aws:TagKeys":"true"}}}]}""").Policy!;
        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Fact]
    public void Remove_Key_MakesItMissing()
    {
        var context = new RequestContext();
        context.Set("app:k", "v");
        context.Set("aws:SourceIp", "10.0.0.1");

        context.Remove("APP:K");
        context.Remove("aws:SourceIp");

        Assert.Null(context.SourceIp);
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"app:k":"true"}}}]}""").Policy!;
        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:user/alice", "User", "111122223333", null)]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Admin/s1", "AssumedRole", "111122223333", "arn:aws:iam::111122223333:role/Admin")]
    [InlineData("111122223333", "Account", "111122223333", null)]
    [InlineData("arn:aws:iam::111122223333:root", "Account", "111122223333", null)]
    [InlineData("arn:aws:sts::111122223333:federated-user/bob", "FederatedUser", "111122223333", null)]
    public void Aws_Identities_AreClassified(string arn, string type, string account, string? roleArn)
    {
        var principal = RequestPrincipal.Aws(arn);

        Assert.Equal(type, principal.PrincipalType);
        Assert.Equal(account, principal.Account);
        Assert.Equal(roleArn, principal.RoleArn);
    }

    [Fact]
    public void Aws_SessionWithItsRoleArn_KeepsTheRolesPath()
    {
        var principal = RequestPrincipal.Aws("arn:aws:sts::111122223333:assumed-role/Admin/s1", "arn:aws:iam::111122223333:role/service-role/Admin");

        Assert.Equal("arn:aws:iam::111122223333:role/service-role/Admin", principal.RoleArn);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Admin/s1", principal.Identifier);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Admin/s1", "arn:aws:iam::111122223333:role/service-role/Other")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Admin/s1", "arn:aws:iam::444455556666:role/Admin")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Admin/s1", "arn:aws:iam::111122223333:user/Admin")]
    [InlineData("arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:role/alice")]
    [InlineData("111122223333", "arn:aws:iam::111122223333:role/Admin")]
    public void Aws_RoleArnThatIsNotTheSessionsRole_Throws(string arn, string roleArn)
    {
        Assert.Throws<ArgumentException>(() => RequestPrincipal.Aws(arn, roleArn));
    }

    [Fact]
    public void PrincipalArn_RoleSession_IsTheRoleArn()
    {
        var context = new RequestContext { Principal = RequestPrincipal.Aws("arn:aws:sts::111122223333:assumed-role/Admin/s1") };
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin"}}}]}""").Policy!;

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Fact]
    public void UserIdAndRequestedRegion_AreKnownKeys()
    {
        var context = new RequestContext();
        context.Set("AWS:UserId", "AROAEXAMPLE:fn");
        context.RequestedRegion = "eu-central-1";
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"AROAEXAMPLE:*"},"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}}]}""").Policy!;

        Assert.Equal("AROAEXAMPLE:fn", context.UserId);
        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Fact]
    public void Set_CustomKeyAgain_ReplacesItsValues()
    {
        var context = new RequestContext();
        context.SetEmpty("dynamodb:Attributes");
        context.Add("dynamodb:Attributes", "a");
        context.Add("dynamodb:Attributes", "b");
        context.Set("dynamodb:Attributes", "c");
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"dynamodb:Attributes":"c"}}}]}""").Policy!;

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);

        context.SetEmpty("dynamodb:Attributes");
        context.Add("dynamodb:Attributes", "d");
        Assert.Equal(Decision.ImplicitDeny, policy.Evaluate(context).Decision);
    }

    [Fact]
    public void ReadsKey_ConditionOrVariable_IgnoresCase()
    {
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/${aws:userid}","Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":"${aws:PrincipalAccount}"}}}]}""").Policy!;

        Assert.True(policy.ReadsKey("DynamoDB:LeadingKeys"));
        Assert.True(policy.ReadsKey("aws:userid"));
        Assert.True(policy.ReadsKey("aws:PrincipalAccount"));
        Assert.False(policy.ReadsKey("dynamodb:Attributes"));
    }

    private const string OwnStagePolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke",
          "Resource":"arn:aws:execute-api:eu-central-1:111122223333:abc123/${aws:username}/*"}]}
        """;

    [Fact]
    public void Evaluate_UsernameVariableForIamUser_IsTheUsersFriendlyName()
    {
        // IAM puts the user's friendly name (its ARN's last part, without the path) in aws:username.
        var policy = Policy.Parse(OwnStagePolicy).Policy!;
        var context = new RequestContext
        {
            Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/alice/GET/claim",
            Principal = RequestPrincipal.Aws("arn:aws:iam::111122223333:user/division/alice"),
        };

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
        context.Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/bob/GET/claim";
        Assert.Equal(Decision.ImplicitDeny, policy.Evaluate(context).Decision);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Reader/alice")]
    [InlineData("111122223333")]
    public void Evaluate_UsernameKeyForRoleSessionOrRoot_IsAbsent(string caller)
    {
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"aws:username":"true"}}}]}""").Policy!;

        var context = new RequestContext { Principal = RequestPrincipal.Aws(caller) };

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Fact]
    public void Evaluate_UserIdOfFederatedUser_IsAccountColonName()
    {
        // GetFederationToken's sessions: IAM documents aws:userid as ACCOUNT:caller-specified-name (and no aws:username).
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:userid":"111122223333:Bob"},"Null":{"aws:username":"true"}}}]}""").Policy!;

        var context = new RequestContext { Principal = RequestPrincipal.Aws("arn:aws:sts::111122223333:federated-user/Bob") };

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Fact]
    public void Evaluate_ServicePrincipal_IsAwsServiceWithItsName()
    {
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:PrincipalIsAWSService":"true"},"StringEquals":{"aws:PrincipalServiceName":"apigateway.amazonaws.com"}}}]}""").Policy!;
        var context = new RequestContext { Principal = RequestPrincipal.Service("apigateway.amazonaws.com") };

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
        context.Principal = RequestPrincipal.Anonymous;
        Assert.Equal(Decision.ImplicitDeny, policy.Evaluate(context).Decision);
    }

    /// <summary>IAM's example "Denies access to AWS based on the source IP", as a role's identity policy beside an Allow.</summary>
    private const string DenyOutsideIpRanges = """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"dynamodb:*","Resource":"*"},
          {"Effect":"Deny","Action":"*","Resource":"*","Condition":{
            "NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}]}
        """;

    [Theory]
    [InlineData("198.51.100.7", Decision.ExplicitDeny)]
    [InlineData("203.0.113.9", Decision.Allow)]
    public void Evaluate_AwsDenyByIpExampleForADirectCall_DeniesOutsideTheRanges(string sourceIp, Decision expected)
    {
        // aws:ViaAWSService is false when the principal makes the call itself ("always included in the request context").
        var policy = Policy.Parse(DenyOutsideIpRanges, PolicyParseOptions.ForAuthorizer).Policy!;
        var context = new RequestContext
        {
            Action = "dynamodb:GetItem",
            Principal = RequestPrincipal.Aws("arn:aws:sts::111122223333:assumed-role/Reader/fn"),
            SourceIp = sourceIp,
        };

        Assert.Equal(expected, policy.Evaluate(context).Decision);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("service:apigateway.amazonaws.com")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Reader/fn")]
    [InlineData("111122223333")]
    public void Evaluate_ViaAwsServiceForAnyCaller_IsPresentAndFalse(string caller)
    {
        // Cloister's services never call another service with a caller's credentials (forward access sessions).
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"aws:ViaAWSService":"false"},"Bool":{"aws:viaawsservice":"false"}}}]}""").Policy!;
        var context = new RequestContext { Principal = Caller(caller) };

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Reader/fn", Decision.ExplicitDeny)]
    [InlineData("arn:aws:sts::111122223333:federated-user/Bob", Decision.ExplicitDeny)]
    [InlineData("arn:aws:iam::111122223333:user/alice", Decision.Allow)]
    [InlineData("111122223333", Decision.Allow)]
    public void Evaluate_DenyWithoutMfaByBool_DeniesOnlyTemporaryCredentials(string caller, Decision expected)
    {
        // IAM: aws:MultiFactorAuthPresent is in the context only for temporary credentials (false without MFA, and the
        // sandbox's STS issues none with MFA), so Deny + Bool false denies role sessions but not long-term keys.
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}""").Policy!;
        var context = new RequestContext { Principal = Caller(caller) };

        Assert.Equal(expected, policy.Evaluate(context).Decision);
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/Reader/fn")]
    [InlineData("arn:aws:iam::111122223333:user/alice")]
    [InlineData("111122223333")]
    public void Evaluate_MultiFactorAuthAgeWithoutMfa_IsAbsent(string caller)
    {
        // IAM: aws:MultiFactorAuthAge is present only when MFA was used; the sandbox's STS never uses it.
        var policy = Policy.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"a:One","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}},
              {"Effect":"Allow","Principal":"*","Action":"a:Two","Resource":"*","Condition":{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}},
              {"Effect":"Allow","Principal":"*","Action":"a:Three","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}
            ]}
            """).Policy!;
        var context = new RequestContext { Principal = Caller(caller) };

        Assert.Equal(
            [Decision.Allow, Decision.Allow, Decision.ImplicitDeny],
            new[] { "a:One", "a:Two", "a:Three" }.Select(action => { context.Action = action; return policy.Evaluate(context).Decision; }));
    }

    [Fact]
    public void Set_TokenIssueTime_IsADateOperatorsCompare()
    {
        // policy eval --context aws:TokenIssueTime=...: the AWSRevokeOlderSessions pattern denies sessions issued before a time.
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2030-01-01T00:00:00.000Z"}}}]}""").Policy!;
        var context = new RequestContext { Principal = Caller("111122223333") };

        context.Set("aws:tokenissuetime", "2029-12-31T23:59:59Z");
        var before = policy.Evaluate(context).Decision;
        context.Set("aws:TokenIssueTime", "1893456000");

        Assert.Equal((Decision.ExplicitDeny, Decision.ImplicitDeny), (before, policy.Evaluate(context).Decision));
    }

    [Theory]
    [InlineData("StringEquals", "aws:CurrentTime", "2030-01-01T00:00:00Z")]
    [InlineData("DateEquals", "aws:CurrentTime", "2030-01-01T00:00:00Z")]
    [InlineData("DateLessThanEquals", "aws:CurrentTime", "2030-01-01T00:00:00Z")]
    [InlineData("NumericEquals", "aws:EpochTime", "1893456000")]
    [InlineData("DateEquals", "aws:EpochTime", "1893456000")]
    public void Evaluate_RequestTimeWithFractionOfASecond_EveryOperatorSeesTheSameSecond(string op, string key, string value)
    {
        // The request context holds the time to the second (aws:CurrentTime reads 2030-01-01T00:00:00Z, aws:EpochTime
        // 1893456000): a Date operator must compare that second, not the clock's fraction the string forms leave out.
        var condition = "{\"" + op + "\":{\"" + key + "\":\"" + value + "\"}}";
        var policy = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":CONDITION}]}""".Replace("CONDITION", condition, StringComparison.Ordinal)).Policy!;
        var context = new RequestContext { RequestTime = new DateTimeOffset(2030, 1, 1, 0, 0, 0, 500, TimeSpan.Zero) };

        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    private static RequestPrincipal Caller(string caller) => caller switch
    {
        "anonymous" => RequestPrincipal.Anonymous,
        _ when caller.StartsWith("service:", StringComparison.Ordinal) => RequestPrincipal.Service(caller["service:".Length..]),
        _ => RequestPrincipal.Aws(caller),
    };
}
