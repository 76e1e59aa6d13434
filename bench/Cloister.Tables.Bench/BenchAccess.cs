using Cloister.Model.Network;
using Cloister.Policy;
using Cloister.Tables.Access;

namespace Cloister.Tables.Bench;

/// <summary>Access control for the bench's service, chosen by CLOISTER_BENCH_ACCESS: authorize (callers known, signatures not checked) or verify (signatures checked); unset or none for no access control (docs/PERFORMANCE.md, Tables).</summary>
public static class BenchAccess
{
    public static readonly Policy.Policy Role = Policy.Policy.Parse(
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:CreateTable","dynamodb:PutItem","dynamodb:GetItem","dynamodb:DescribeTable"],"Resource":"arn:aws:dynamodb:us-east-1:000000000000:table/bench"}]}""",
        new PolicyParseOptions(PolicyKind.Identity)).Policy!;

    public static readonly Policy.Policy Endpoint = Policy.Policy.Parse(
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-east-1:000000000000:table/*"}]}""").Policy!;

    public static CallerIdentity Caller(bool verify) =>
        new(RequestPrincipal.Aws("arn:aws:sts::000000000000:assumed-role/bench/s"), "AROABENCH:s", verify ? "secret" : null, [Role], null, false);

    public static TablesAccess? Create(string? mode)
    {
        if (mode is null or "" or "none")
        {
            return null;
        }

        var caller = Caller(mode == "verify");
        Console.WriteLine($"access control: {mode}");
        return new TablesAccess
        {
            Callers = key => key == "AKIDBENCH" ? caller : null,
            Origins = _ => new ServiceOrigin("vpc-1", "vpce-1", "10.0.1.5"),
            EndpointPolicies = new Dictionary<string, Policy.Policy> { ["vpce-1"] = Endpoint },
        };
    }
}
