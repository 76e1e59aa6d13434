using Cloister.Gateway.Routing;

namespace Cloister.Gateway.Tests.Routing;

public sealed class InvocationTargetParserTests
{
    private static readonly InvocationTargetParser Parser = new("eu-central-1", "amazonaws.com");

    [Theory]
    [InlineData(null, "abc123defg.execute-api.eu-central-1.amazonaws.com", "abc123defg", null)]
    [InlineData(null, "abc123defg.execute-api.eu-central-1.amazonaws.com:443", "abc123defg", null)]
    [InlineData(null, "abc123defg-vpce-0123456789abcdef0.execute-api.eu-central-1.amazonaws.com", "abc123defg", "vpce-0123456789abcdef0")]
    [InlineData(null, "ABC123DEFG-VPCE-0123456789ABCDEF0.execute-api.eu-central-1.amazonaws.com", "abc123defg", "vpce-0123456789abcdef0")]
    [InlineData(" abc123defg ", "zzzzzzzzzz.execute-api.eu-central-1.amazonaws.com", "abc123defg", null)]
    [InlineData("abc123defg", "vpce-0123456789abcdef0-1a2b3c4d.execute-api.eu-central-1.vpce.amazonaws.com", "abc123defg", null)]
    [InlineData("abc123defg", "zzzzzzzzzz.execute-api.eu-central-1.amazonaws.com", "abc123defg", null)]
    public void Parse_InvocationForms_NameTheApi(string? header, string host, string apiId, string? vpce)
    {
        var target = Parser.Parse(header, host)!;
        Assert.Equal(apiId, target.ApiId);
        Assert.Equal(vpce, target.NamedVpcEndpointId);
        Assert.DoesNotContain(':', target.DomainName);
    }

    [Theory]
    [InlineData("vpce-0123456789abcdef0-1a2b3c4d.execute-api.eu-central-1.vpce.amazonaws.com")]
    [InlineData("abc123defg.execute-api.us-east-1.amazonaws.com")]
    [InlineData("a.b.execute-api.eu-central-1.amazonaws.com")]
    [InlineData("10.0.1.12")]
    [InlineData("")]
    public void Parse_NoApiNamed_ReturnsNull(string host) => Assert.Null(Parser.Parse(null, host));
}
