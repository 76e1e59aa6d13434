using BenchmarkDotNet.Attributes;

namespace Cloister.Policy.Bench;

/// <summary>
/// What the gateway pays per request for its resource policy: the seeds' policy (Allow
/// execute-api:Invoke on execute-api:/*, Deny unless aws:SourceVpce is the endpoint) against a
/// request context, for each outcome, next to a hand-written check of the same rule as the baseline,
/// and a policy that touches every operator family.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private const string Endpoint = "vpce-0ac4147ba9386c9z7";
    private const string Prefix = "arn:aws:execute-api:eu-central-1:111122223333:abc123/";

    private const string Seed = """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
          {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
           "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0ac4147ba9386c9z7"}}}]}
        """;

    private const string Rich = """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":"*","Action":"execute-api:*","Resource":"arn:aws:execute-api:*:*:abc123/${aws:SourceVpce}/*",
           "Condition":{"StringLike":{"aws:UserAgent":"curl/*"},"IpAddress":{"aws:VpcSourceIp":["10.0.0.0/16","172.128.0.0/16"]},
                        "DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"Bool":{"aws:SecureTransport":"true"},
                        "ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}},
          {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
           "Condition":{"StringNotEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}}]}
        """;

    private static readonly ExecuteApiScope Api = new("eu-central-1", "111122223333", "abc123");

    private Policy _seed = null!;
    private Policy _rich = null!;
    private RequestContext _allowed = null!;
    private RequestContext _denied = null!;
    private RequestContext _otherApi = null!;
    private RequestContext _richContext = null!;

    [GlobalSetup]
    public void Setup()
    {
        _seed = Policy.Parse(Seed, PolicyParseOptions.ForApi(Api)).Policy!;
        _rich = Policy.Parse(Rich, PolicyParseOptions.ForApi(Api)).Policy!;
        _allowed = new RequestContext { Resource = Prefix + "dev/GET/claim/2afe60e7-3f11-485a-8a69-16389ff52fbd", SourceVpce = Endpoint, SourceVpc = "vpc-0a1b2c3d4e5f60718", VpcSourceIp = "172.128.1.25" };
        _denied = new RequestContext { Resource = _allowed.Resource, SourceVpce = "vpce-0123456789abcdef0" };
        _otherApi = new RequestContext { Resource = "arn:aws:execute-api:eu-central-1:111122223333:zzz999/dev/GET/claim", SourceVpce = Endpoint };
        _richContext = new RequestContext
        {
            Resource = Prefix + "vpce-1/GET/claim",
            SourceVpce = "vpce-1",
            VpcSourceIp = "172.128.1.25",
            UserAgent = "curl/8.5.0",
            SecureTransport = true,
            RequestTime = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero),
        };
        _richContext.Add("aws:TagKeys", "env");
        _richContext.Add("aws:TagKeys", "team");
    }

    /// <summary>The same rule written by hand: what a policy engine could at best approach.</summary>
    [Benchmark(Baseline = true)]
    public bool HandWrittenRule() =>
        string.Equals(_allowed.Action, "execute-api:Invoke", StringComparison.OrdinalIgnoreCase)
        && _allowed.Resource.StartsWith(Prefix, StringComparison.Ordinal)
        && string.Equals(_allowed.SourceVpce, Endpoint, StringComparison.Ordinal);

    [Benchmark]
    public Decision SeedPolicy_Allow() => _seed.Evaluate(_allowed).Decision;

    [Benchmark]
    public Decision SeedPolicy_ExplicitDeny() => _seed.Evaluate(_denied).Decision;

    [Benchmark]
    public Decision SeedPolicy_ImplicitDeny() => _seed.Evaluate(_otherApi).Decision;

    [Benchmark]
    public Decision RichPolicy_Allow() => _rich.Evaluate(_richContext).Decision;

    [Benchmark]
    public Decision Gateway_ResourceAndEndpointPolicy() =>
        ApiGatewayAccess.Evaluate(_allowed, _seed, isPrivateApi: true, endpointPolicy: _seed).Decision;
}
