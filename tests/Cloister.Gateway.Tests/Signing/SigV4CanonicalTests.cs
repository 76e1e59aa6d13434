using Cloister.Shared.Signing;

namespace Cloister.Gateway.Tests.Signing;

/// <summary>SigV4's pieces (src/Shared/Signing, used by the gateway and the tables service) against AWS's published test suite.</summary>
public sealed class SigV4CanonicalTests
{
    [Fact]
    public void Signature_GetVanillaVector_MatchesPublishedSignature()
    {
        var canonical = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        var toSign = SigV4Canonical.StringToSign("20150830T123600Z", SigV4Canonical.Scope("20150830", "us-east-1", "service"), canonical);

        var signature = SigV4Canonical.Signature(SigV4Canonical.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "service"), toSign);

        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", signature);
    }

    [Fact]
    public void CanonicalRequest_GetVanillaQueryOrder_MatchesPublishedCanonicalRequest()
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = " 20150830T123600Z  " };

        var canonical = SigV4Canonical.CanonicalRequest("GET", "/?Param2=value2&Param1=value1", headers, "host;x-amz-date", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        Assert.Equal("GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical);
    }

    [Theory]
    [InlineData("Param2=value2&Param1=value1", "Param1=value1&Param2=value2")]
    [InlineData("b=%20x&a=~&a=%2F", "a=%2F&a=~&b=%20x")]
    [InlineData("X-Amz-Signature=abc&q", "q=")]
    public void CanonicalQuery_Unsorted_SortsAndEncodes(string raw, string expected) =>
        Assert.Equal(expected, SigV4Canonical.CanonicalQuery(raw));

    [Theory]
    [InlineData("/dev/a b", "/dev/a%20b")]
    [InlineData("/dev/a%20b", "/dev/a%2520b")]
    [InlineData("", "/")]
    public void CanonicalUri_RawPath_EncodesOnceMore(string raw, string expected) =>
        Assert.Equal(expected, SigV4Canonical.CanonicalUri(raw));

    [Fact]
    public void AppendHeaderValue_SpacesInside_AreCollapsedAndTrimmed() =>
        Assert.Equal("x:a b c", SigV4Canonical.AppendHeaderValue(new System.Text.StringBuilder("x:"), "  a   b c ").ToString());
}
