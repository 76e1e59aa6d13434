namespace Cloister.Policy.Tests;

public sealed class PolicyAllocationTests
{
    private static readonly ExecuteApiScope Api = new("eu-central-1", "111122223333", "abc123");

    /// <summary>A policy that exercises every operator family, qualifiers, variables and the time keys.</summary>
    private const string EveryFamily = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::444455556666:role/R"]}, "Action": "execute-api:*", "Resource": "arn:aws:execute-api:*:*:abc123/${aws:SourceVpce}/*",
             "Condition": {
               "StringLike": {"aws:UserAgent": "curl/*", "aws:Referer": "*${aws:SourceIp}*"},
               "StringEqualsIgnoreCase": {"aws:SourceVpc": "VPC-1"},
               "NumericLessThan": {"app:count": "10"},
               "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
               "DateLessThan": {"aws:EpochTime": "4102444800"},
               "Bool": {"aws:SecureTransport": "true", "app:secure": "${app:tls}"},
               "BinaryEquals": {"app:blob": "QQ=="},
               "IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/16", "2001:db8::/32"]},
               "ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:111122223333:function:*"},
               "Null": {"aws:SourceVpce": "false"},
               "ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]},
               "ForAnyValue:StringLike": {"aws:TagKeys": "te*"},
               "StringEquals": {"aws:Referer": "${aws:CurrentTime, 'x'}-never"}
             }},
            {"Sid": "D", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}}
          ]
        }
        """;

    [Fact]
    public void Evaluate_SeedPolicy_AllocatesNothing()
    {
        var policy = Policy.Parse(TestPolicies.Seed, PolicyParseOptions.ForApi(Api)).Policy!;
        var context = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", SourceVpce = TestPolicies.SeedEndpoint };

        Assert.Equal(0, AllocatedBy(() => policy.Evaluate(context)));
        Assert.Equal(Decision.Allow, policy.Evaluate(context).Decision);
    }

    [Fact]
    public void Evaluate_EveryOperatorFamily_AllocatesNothing()
    {
        var parsed = Policy.Parse(EveryFamily, PolicyParseOptions.ForApi(Api));
        Assert.True(parsed.IsValid, parsed.ErrorMessage);
        var context = new RequestContext
        {
            Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/vpce-1/GET/claim",
            Principal = RequestPrincipal.Aws("arn:aws:sts::444455556666:assumed-role/R/s"),
            SourceVpce = "vpce-1",
            SourceVpc = "vpc-1",
            SourceIp = "203.0.113.9",
            VpcSourceIp = "2001:db8::7",
            UserAgent = "curl/8.5.0",
            Referer = "https://x/203.0.113.9/",
            SourceArn = "arn:aws:lambda:eu-central-1:111122223333:function:f",
            RequestTime = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero),
            SecureTransport = true,
        };
        context.Set("app:count", "3");
        context.Set("app:blob", "QQ==");
        context.Set("app:secure", "true");
        context.Set("app:tls", "TRUE");
        context.Add("aws:TagKeys", "env");
        context.Add("aws:TagKeys", "team");

        Assert.Equal(0, AllocatedBy(() => parsed.Policy.Evaluate(context)));
        Assert.Equal(Decision.ImplicitDeny, parsed.Policy.Evaluate(context).Decision);
        Assert.Equal("condition StringEquals aws:Referer does not hold", parsed.Policy.Explain(context).Statements[0].Reason);
    }

    [Fact]
    public void ApiGatewayAccess_Evaluate_AllocatesNothing()
    {
        var policy = Policy.Parse(TestPolicies.Seed, PolicyParseOptions.ForApi(Api)).Policy!;
        var context = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", SourceVpce = TestPolicies.SeedEndpoint };

        Assert.Equal(0, AllocatedBy(() => ApiGatewayAccess.Evaluate(context, policy, isPrivateApi: true, endpointPolicy: policy, domainPolicy: policy)));
    }

    [Fact]
    public void ApiGatewayAccess_EvaluateIamCaller_AllocatesNothing()
    {
        var policy = Policy.Parse(TestPolicies.Seed, PolicyParseOptions.ForApi(Api)).Policy!;
        var identity = Policy.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}""", PolicyParseOptions.ForAuthorizer).Policy!;
        var caller = new CallerIdentity(RequestPrincipal.Aws("arn:aws:sts::111122223333:assumed-role/R/s"), "AROAR:s", null, [identity], identity, IsRoot: false);
        var context = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:abc123/dev/GET/claim", SourceVpce = TestPolicies.SeedEndpoint, Principal = caller.Principal };

        Assert.Equal(0, AllocatedBy(() => ApiGatewayAccess.Evaluate(context, policy, isPrivateApi: true, endpointPolicy: policy, domainPolicy: policy, caller: caller)));
        Assert.True(ApiGatewayAccess.Evaluate(context, policy, isPrivateApi: true, caller: caller).IsAllowed);
    }

    [Fact]
    public void Evaluate_PrincipalTagAndTokenIssueTime_AllocatesNothing()
    {
        var parsed = Policy.Parse("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}",
             "Condition":{"StringEquals":{"aws:PrincipalTag/Team":"claims"},"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"},"StringLike":{"aws:TokenIssueTime":"2030-*"},"Null":{"aws:PrincipalTag/other":"true"}}}]}
            """).Policy!;
        var principal = RequestPrincipal.Aws("arn:aws:sts::111122223333:assumed-role/R/s") with
        {
            Tags = new Dictionary<string, string> { ["team"] = "claims" },
            TokenIssueTime = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };
        var context = new RequestContext { Resource = "arn:aws:dynamodb:eu-central-1:111122223333:table/claims", Principal = principal };

        Assert.Equal(0, AllocatedBy(() => parsed.Evaluate(context)));
        Assert.Equal(Decision.Allow, parsed.Evaluate(context).Decision);
    }

    private static long AllocatedBy<T>(Func<T> evaluate)
    {
        for (var i = 0; i < 1000; i++)
        {
            evaluate();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            evaluate();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
