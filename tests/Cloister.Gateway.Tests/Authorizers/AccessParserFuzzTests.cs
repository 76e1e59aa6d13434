using System.Collections.Frozen;
using System.Text;
using Cloister.Gateway.Authorizers;
using Cloister.Gateway.Signing;
using Microsoft.AspNetCore.Http;

namespace Cloister.Gateway.Tests.Authorizers;

/// <summary>Random and mutated inputs into the access-control parsers: no exception, always a verdict.</summary>
public sealed class AccessParserFuzzTests
{
    private static readonly FrozenDictionary<string, GatewayCredential> Credentials =
        new[] { new GatewayCredential("AKIDEXAMPLE", "secret", null, "arn:aws:iam::123456789012:user/u", "AIDA:u") }
            .ToFrozenDictionary(c => c.AccessKeyId);

    private const string Valid = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260310/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";

    [Fact]
    public void Verify_MutatedAuthorizationHeaders_AlwaysRefusesWithoutThrowing()
    {
        var random = new Random(9);
        for (var i = 0; i < 2000; i++)
        {
            var chars = Valid.ToCharArray();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(0x20, 0x7f);
            }

            var header = new string(chars, 0, random.Next(chars.Length + 1));
            var context = new DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Path = "/dev/pets";
            context.Request.Headers.Host = "a.execute-api.us-east-1.amazonaws.com";
            context.Request.Headers.Authorization = header;
            context.Request.Headers["X-Amz-Date"] = random.Next(3) == 0 ? "garbage" : "20260310T120000Z";

            var outcome = SigV4Verifier.Verify(context, [], new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero), "us-east-1", Credentials.GetValueOrDefault);

            Assert.NotNull(outcome.Error);
        }
    }

    [Fact]
    public void TryParse_RandomAndTruncatedOutputs_NeverThrows()
    {
        var random = new Random(11);
        var valid = Encoding.UTF8.GetBytes("""{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]},"context":{"a":1}}""");
        Assert.True(AuthorizerResponseParser.TryParse(valid, 0, out _, out _));
        for (var i = 0; i < 2000; i++)
        {
            var bytes = valid[..random.Next(valid.Length)];
            if (bytes.Length > 0)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var parsed = AuthorizerResponseParser.TryParse(bytes, 0, out var result, out var reason);

            Assert.Equal(parsed, result is not null);
            Assert.True(parsed || reason.Length > 0);
            AuthorizerResponseParser.IsUnauthorized(bytes);
        }
    }
}
