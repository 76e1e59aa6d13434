using Cloister.Tables.Authentication;
using Cloister.Tables.Protocol;
using Microsoft.AspNetCore.Http;

namespace Cloister.Tables.Tests.Authentication;

/// <summary>SigV4 verification against AWS's published test-suite vectors (get-vanilla, post-vanilla, query order).</summary>
public sealed class SignatureVerifierTests
{
    private const string KeyId = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static SignatureVerifier Verifier(DateTimeOffset now) =>
        new(new Dictionary<string, string> { [KeyId] = Secret }, new FixedTime(now));

    private static HeaderDictionary Headers() => new()
    {
        ["Host"] = "example.amazonaws.com",
        ["X-Amz-Date"] = "20150830T123600Z",
    };

    private static string Authorization(string signature) =>
        $"AWS4-HMAC-SHA256 Credential={KeyId}/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}";

    [Theory]
    [InlineData("GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("GET", "/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    public void Verify_TestSuiteVector_Accepted(string method, string target, string signature)
    {
        var verifier = Verifier(SignedAt.AddMinutes(3));
        var authorization = verifier.Authenticate(Authorization(signature));

        verifier.Verify(authorization, method, target, Headers(), default);

        Assert.Equal("us-east-1", authorization.Region);
        Assert.Equal("service", authorization.Service);
    }

    [Fact]
    public void Verify_OneHexDigitChanged_InvalidSignature()
    {
        var verifier = Verifier(SignedAt);
        var authorization = verifier.Authenticate(Authorization("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30"));

        var error = Assert.Throws<DynamoDbException>(() => verifier.Verify(authorization, "GET", "/", Headers(), default));

        Assert.Equal(ErrorCodes.InvalidSignature, error.Type);
        Assert.StartsWith("The request signature we calculated does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_BodyChanged_InvalidSignature()
    {
        var verifier = Verifier(SignedAt);
        var authorization = verifier.Authenticate(Authorization("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));

        var error = Assert.Throws<DynamoDbException>(() => verifier.Verify(authorization, "POST", "/", Headers(), "{}"u8));

        Assert.Equal(ErrorCodes.InvalidSignature, error.Type);
    }

    [Fact]
    public void Verify_SignedSixteenMinutesAgo_SignatureExpired()
    {
        var verifier = Verifier(SignedAt.AddMinutes(16));
        var authorization = verifier.Authenticate(Authorization("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));

        var error = Assert.Throws<DynamoDbException>(() => verifier.Verify(authorization, "GET", "/", Headers(), default));

        Assert.Equal(ErrorCodes.InvalidSignature, error.Type);
        Assert.Equal("Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)", error.Message);
    }

    [Fact]
    public void Verify_SignedSixteenMinutesAhead_NotYetCurrent()
    {
        var verifier = Verifier(SignedAt.AddMinutes(-16));
        var authorization = verifier.Authenticate(Authorization("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));

        var error = Assert.Throws<DynamoDbException>(() => verifier.Verify(authorization, "GET", "/", Headers(), default));

        Assert.StartsWith("Signature not yet current: 20150830T123600Z is still later than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_UnknownKeyId_UnrecognizedClient()
    {
        var error = Assert.Throws<DynamoDbException>(() => Verifier(SignedAt).Authenticate(Authorization("00").Replace(KeyId, "AKIDOTHER", StringComparison.Ordinal)));

        Assert.Equal(ErrorCodes.UnrecognizedClient, error.Type);
        Assert.Equal("The security token included in the request is invalid.", error.Message);
    }

    [Fact]
    public void Authenticate_NoHeader_MissingAuthenticationToken()
    {
        var error = Assert.Throws<DynamoDbException>(() => Verifier(SignedAt).Authenticate(""));

        Assert.Equal(ErrorCodes.MissingAuthenticationToken, error.Type);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00", "Authorization header requires 'Credential' parameter.")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host", "Authorization header requires 'Signature' parameter.")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2015/us-east-1/service/aws4_request, SignedHeaders=host, Signature=00", "Credential should be scoped")]
    [InlineData("Basic dXNlcjpwYXNz", "Unsupported authorization algorithm")]
    public void Authenticate_MalformedHeader_IncompleteSignature(string header, string message)
    {
        var error = Assert.Throws<DynamoDbException>(() => Verifier(SignedAt).Authenticate(header));

        Assert.Equal(ErrorCodes.IncompleteSignature, error.Type);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_RandomHeaders_NeverCrash()
    {
        var random = new Random(20261122);
        var verifier = Verifier(SignedAt);
        const string Seed = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa0";
        for (var i = 0; i < 2000; i++)
        {
            var chars = Seed.ToCharArray();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                chars[random.Next(chars.Length)] = "/=, ;ACS"[random.Next(8)];
            }

            var header = new string(chars, 0, random.Next(chars.Length + 1));
            try
            {
                var authorization = verifier.Authenticate(header);
                Assert.Throws<DynamoDbException>(() => verifier.Verify(authorization, "GET", "/", Headers(), default));
            }
            catch (DynamoDbException error)
            {
                Assert.Contains(error.Type, new[] { ErrorCodes.IncompleteSignature, ErrorCodes.UnrecognizedClient, ErrorCodes.MissingAuthenticationToken, ErrorCodes.InvalidSignature });
            }
        }
    }
}
