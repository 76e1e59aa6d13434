namespace Cloister.Scenarios.Tests;

/// <summary>The DynamoDB interface endpoint sample deployed once for its class.</summary>
public sealed class DynamoDbInterfaceEndpointFixture() : StackFixture(Cloister.Sample("ddb-interface-endpoint/template.yaml"), "--region", Region)
{
    /// <summary>The region the stack runs in (its zones are <c>{Region}a</c> and <c>{Region}b</c>).</summary>
    public const string Region = "eu-west-1";

    /// <summary>The endpoint's DNS names from its <c>DnsEntries</c> output (<c>ZONEID:NAME</c>): the regional name, then one per zone.</summary>
    internal IReadOnlyList<string> DnsNames => [.. Outputs["VpcEndpointDnsEntries"].Split(',').Select(e => e[(e.IndexOf(':', StringComparison.Ordinal) + 1)..])];

    /// <summary><c>vpce-{id}-{8 chars}.dynamodb.{region}.vpce.amazonaws.com</c>.</summary>
    internal string RegionalName => DnsNames[0];

    /// <summary>The per-zone name of <paramref name="zone"/> (<c>vpce-{id}-{8 chars}-{zone}.dynamodb....</c>).</summary>
    internal string ZonalName(string zone) => DnsNames.Single(n => n.Contains($"-{zone}.", StringComparison.Ordinal));

    /// <summary>The endpoint's ENI addresses, as <c>cloister status</c> lists its hosts.</summary>
    internal IReadOnlyList<string> EniAddresses => AddressesOf("EndpointInterface", "DynamoDbInterfaceEndpoint");
}
