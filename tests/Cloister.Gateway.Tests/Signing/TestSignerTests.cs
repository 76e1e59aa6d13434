namespace Cloister.Gateway.Tests.Signing;

/// <summary>The test signer against AWS's published Signature Version 4 test suite, so the gateway is checked against something known to be right.</summary>
public sealed class TestSignerTests
{
    private const string Prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=";

    [Theory]
    [InlineData("", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    public void Authorization_AwsTestSuiteVector_MatchesPublishedSignature(string query, string signature)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };

        var authorization = TestSigner.Authorization("GET", "/", query, headers, [], "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service", "20150830T123600Z");

        Assert.Equal(Prefix + signature, authorization);
    }
}
