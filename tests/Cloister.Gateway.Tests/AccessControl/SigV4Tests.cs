using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Gateway.Tests.Signing;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Model.Iam;
using Cloister.Policy.Callers;
using static Cloister.Gateway.Tests.Infrastructure.AccessApis;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.AccessControl;

/// <summary>AWS_IAM methods: SigV4 verified against the sandbox's credentials, with API Gateway's 403s (spec §2).</summary>
public sealed class SigV4Tests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly SandboxCredentials Sandbox = SandboxCredentials.Default;

    private static async Task<GatewayHarness> StartAsync(string? policy = Allow, bool realClock = false)
    {
        var harness = await GatewayHarness.StartAsync(WithPlan(EchoApi(policy, "AWS_IAM"), Plan()), time: realClock ? null : new ManualTime(Now));
        harness.Lambda.AddEcho("echo");
        return harness;
    }

    private static HttpRequestMessage Request(string path = "pets?b=2&a=1", HttpMethod? method = null, string? body = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"https://{PrivateHost()}/dev/{path}");
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        return request;
    }

    private static HttpRequestMessage Signed(string secret = "", DateTimeOffset? at = null, string region = Region, string? token = null, string path = "pets?b=2&a=1")
    {
        var request = Request(path);
        TestSigner.Sign(request, Sandbox.AccessKeyId, secret.Length == 0 ? Sandbox.SecretAccessKey : secret, token ?? Sandbox.SessionToken, region, at ?? Now);
        return request;
    }

    [Fact]
    public async Task Invoke_SignedWithSandboxCredentials_PassesCallerIdentity()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed());

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var identity = evt.RootElement.GetProperty("requestContext").GetProperty("identity");
        Assert.Equal(Sandbox.AccessKeyId, identity.GetProperty("accessKey").GetString());
        Assert.Equal(Account, identity.GetProperty("accountId").GetString());
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/cloister-sandbox/cloister", identity.GetProperty("userArn").GetString());
        Assert.Equal("AROACLOISTERSANDBOX00:cloister", identity.GetProperty("caller").GetString());
    }

    /// <summary>The query is split at <c>;</c> for the integration, but the signature is checked on the target as sent.</summary>
    [Fact]
    public async Task Invoke_SignedQueryWithSemicolons_VerifiesAndSplitsForTheIntegration()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed(path: "pets?a=1;b=2"));

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var query = evt.RootElement.GetProperty("queryStringParameters");
        Assert.Equal(("1", "2"), (query.GetProperty("a").GetString(), query.GetProperty("b").GetString()));
    }

    [Fact]
    public async Task Invoke_SignedPostWithBody_VerifiesPayloadHash()
    {
        await using var harness = await StartAsync();
        var request = Request("pets", HttpMethod.Get, """{"name":"rex"}""");
        TestSigner.Sign(request, Sandbox.AccessKeyId, Sandbox.SecretAccessKey, Sandbox.SessionToken, Region, Now);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_Unsigned_ReturnsMissingAuthenticationToken()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Request());

        await Expect.ErrorAsync(response, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_WrongSecret_ReturnsSignatureDoesNotMatch()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed(secret: "not-the-sandbox-secret"));

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("InvalidSignatureException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        Assert.StartsWith("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.", message, StringComparison.Ordinal);
        Assert.Contains($"GET\n/dev/pets\na=1&b=2\nhost:{PrivateHost()}\n", message, StringComparison.Ordinal);
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_BodyChangedAfterSigning_ReturnsInvalidSignature()
    {
        await using var harness = await StartAsync();
        var request = Request("pets", HttpMethod.Get, "signed body");
        TestSigner.Sign(request, Sandbox.AccessKeyId, Sandbox.SecretAccessKey, Sandbox.SessionToken, Region, Now);
        request.Content = new StringContent("other body");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal("InvalidSignatureException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
    }

    [Fact]
    public async Task Invoke_SignedTenMinutesAgo_ReturnsSignatureExpired()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed(at: Now.AddMinutes(-10)));

        await Expect.ErrorAsync(response, 403, """{"message":"Signature expired: 20260310T115000Z is now earlier than 20260310T115500Z (20260310T120000Z - 5 min.)"}""", "InvalidSignatureException");
    }

    [Fact]
    public async Task Invoke_UnknownAccessKey_ReturnsUnrecognizedClient()
    {
        await using var harness = await StartAsync();
        var request = Request();
        TestSigner.Sign(request, "AKIAUNKNOWNKEY000000", "secret", null, Region, Now);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        await Expect.ErrorAsync(response, 403, """{"message":"The security token included in the request is invalid."}""", "UnrecognizedClientException");
    }

    [Fact]
    public async Task Invoke_WrongSessionToken_ReturnsUnrecognizedClient()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed(token: "stolen-token"));

        Assert.Equal("UnrecognizedClientException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
    }

    [Fact]
    public async Task Invoke_OtherRegionScope_ReturnsInvalidSignature()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed(region: "eu-west-1"));

        await Expect.ErrorAsync(response, 403, """{"message":"Credential should be scoped to a valid region, not 'eu-west-1'. "}""", "InvalidSignatureException");
    }

    [Fact]
    public async Task Invoke_BearerToken_ReturnsIncompleteSignature()
    {
        await using var harness = await StartAsync();
        var request = Request();
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("IncompleteSignatureException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        Assert.StartsWith("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_HeaderWithoutParts_ListsWhatIsMissing()
    {
        await using var harness = await StartAsync();
        var request = Request();
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=x");

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        await Expect.ErrorAsync(
            response,
            403,
            """{"message":"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=x"}""",
            "IncompleteSignatureException");
    }

    [Fact]
    public async Task Invoke_ResourcePolicyNamingTheRole_AllowsSignedCallerOnly()
    {
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:role/cloister-sandbox"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";
        await using var harness = await StartAsync(policy);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed());

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invoke_ResourcePolicyDeniesTheCaller_NamesCallerInMessage()
    {
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:role/someone-else"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";
        await using var harness = await StartAsync(policy);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(Signed());

        var expected = $$"""{"Message":"User: arn:aws:sts::{{Account}}:assumed-role/cloister-sandbox/cloister is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:{{ApiId}}/dev/GET/pets"}""";
        await Expect.ErrorAsync(response, 403, expected, "AccessDeniedException");
    }

    [Theory]
    [InlineData("Invoker", 200)]
    [InlineData("Bystander", 403)]
    public async Task Invoke_SandboxCallers_IdentityPolicyAllowSufficesWithinTheAccount(string roleName, int expected)
    {
        // The resource policy names someone else: only the caller's own identity-based policy can allow it.
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:role/someone-else"},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""";
        var (directory, functions) = Directory();
        await using var harness = await GatewayHarness.StartAsync(
            WithPlan(EchoApi(policy, "AWS_IAM"), Plan()), time: new ManualTime(Now), configure: o => o with { Callers = directory.Find });
        harness.Lambda.AddEcho("echo");
        var credentials = directory.ForFunction(functions.Single(f => string.Equals(f.FunctionName, roleName, StringComparison.OrdinalIgnoreCase)));
        var request = Request();
        TestSigner.Sign(request, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Region, Now);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 403)
        {
            var message = $$"""{"Message":"User: arn:aws:sts::{{Account}}:assumed-role/{{roleName}}/{{roleName.ToLowerInvariant()}} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:{{ApiId}}/dev/GET/pets"}""";
            await Expect.ErrorAsync(response, 403, message, "AccessDeniedException");
        }
    }

    [Fact]
    public async Task Invoke_SandboxCallersAndAKeyWithoutKnownSecret_ReturnsUnrecognizedClient()
    {
        var (directory, _) = Directory();
        await using var harness = await GatewayHarness.StartAsync(
            WithPlan(EchoApi(Allow, "AWS_IAM"), Plan()), time: new ManualTime(Now), configure: o => o with { Callers = directory.Find });
        var request = Request();
        TestSigner.Sign(request, "AKIAIOSFODNN7EXAMPLE", "whatever", null, Region, Now);

        var response = await harness.Client(GatewayHarness.EniA).SendAsync(request);

        await Expect.ErrorAsync(response, 403, """{"message":"The security token included in the request is invalid."}""", "UnrecognizedClientException");
    }

    [Fact]
    public async Task Invoke_StsSessionPastItsDuration_403ExpiredTokenAndFreshSessionStillServed()
    {
        var (directory, _) = Directory();
        var time = new ManualTime(Now);
        await using var harness = await GatewayHarness.StartAsync(
            WithPlan(EchoApi(Allow, "AWS_IAM"), Plan()), time: time, configure: o => o with { Callers = directory.Find });
        harness.Lambda.AddEcho("echo");
        var (brief, _) = directory.AssumeRole($"arn:aws:iam::{Account}:role/Invoker", "brief", Now, TimeSpan.FromSeconds(900))!.Value;
        var (longer, _) = directory.AssumeRole($"arn:aws:iam::{Account}:role/Invoker", "longer", Now, TimeSpan.FromHours(1))!.Value;

        var before = await harness.Client(GatewayHarness.EniA).SendAsync(SignedWith(brief, Now));
        time.Advance(TimeSpan.FromSeconds(900));
        var expired = await harness.Client(GatewayHarness.EniA).SendAsync(SignedWith(brief, Now.AddSeconds(900)));
        var fresh = await harness.Client(GatewayHarness.EniA).SendAsync(SignedWith(longer, Now.AddSeconds(900)));

        Assert.Equal(200, (int)before.StatusCode);
        await Expect.ErrorAsync(expired, 403, """{"message":"The security token included in the request is expired"}""", "ExpiredTokenException");
        Assert.Equal(200, (int)fresh.StatusCode);

        static HttpRequestMessage SignedWith(SandboxCredentials credentials, DateTimeOffset at)
        {
            var request = Request();
            TestSigner.Sign(request, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Region, at);
            return request;
        }
    }

    private static (CallerDirectory Directory, ImmutableArray<LambdaFunction> Functions) Directory()
    {
        static IamRole Role(string name, string actions) => new(
            name, name, $"arn:aws:iam::{Account}:role/{name}", "AROA" + name.ToUpperInvariant().PadRight(17, '0'),
            [new RolePolicy("p", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":"*"}]}""")]);
        static LambdaFunction Function(string name, string role) =>
            new(name, name, "provided.al2023", "bootstrap", null, null, 128, 3, ImmutableDictionary<string, string>.Empty, null, null, $"arn:aws:iam::{Account}:role/{role}");
        ImmutableArray<LambdaFunction> functions = [Function("invoker", "Invoker"), Function("bystander", "Bystander")];
        var model = new CloudModel
        {
            Account = new AccountContext(Account, Region),
            Roles = [Role("Invoker", "\"execute-api:Invoke\""), Role("Bystander", "\"dynamodb:GetItem\"")],
            Functions = functions,
        };
        return (CallerDirectory.Build(model), functions);
    }

    [Theory]
    [InlineData(true, "200")]
    [InlineData(false, "403")]
    public async Task Curl_AwsSigv4_SignatureFromARealClientIsVerified(bool rightSecret, string expectedStatus)
    {
        await using var harness = await StartAsync(realClock: true);
        var pem = TestCertificates.WritePem(Path.Combine(harness.StateRoot, "pem"));
        var port = harness.Server.PortOf(GatewayHarness.EniA);
        var secret = rightSecret ? Sandbox.SecretAccessKey : "wrong-secret";
        var startInfo = new ProcessStartInfo("curl")
        {
            ArgumentList =
            {
                "-sS", "--cacert", pem.CaFile, "--resolve", $"{PrivateHost()}:{port}:{GatewayHarness.EniA}",
                "--aws-sigv4", $"aws:amz:{Region}:execute-api", "--user", $"{Sandbox.AccessKeyId}:{secret}",
                "-H", $"x-amz-security-token: {Sandbox.SessionToken}",
                // The query is already in canonical order: curl 7.88 signs it as written, unsorted (later curls sort it).
                "-o", "/dev/null", "-w", "%{http_code}", $"https://{PrivateHost()}:{port}/dev/pets?a=1&b=2",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var curl = Process.Start(startInfo)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();

        Assert.Equal(0, curl.ExitCode);
        Assert.Equal(expectedStatus, output);
    }

    [Fact]
    public async Task Invoke_PresignedUrl_IsVerifiedUntilItExpires()
    {
        var time = new ManualTime(Now);
        await using var harness = await GatewayHarness.StartAsync(WithPlan(EchoApi(Allow, "AWS_IAM"), Plan()), time: time);
        harness.Lambda.AddEcho("echo");
        var client = harness.Client(GatewayHarness.EniA);
        var url = TestSigner.Presign($"https://{PrivateHost()}/dev/pets?b=2", PrivateHost(), Sandbox.AccessKeyId, Sandbox.SecretAccessKey, Sandbox.SessionToken, Region, Now, expires: 60);

        var fresh = await client.GetAsync(url);
        var tampered = await client.GetAsync(url.Replace("b=2", "b=3", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromSeconds(61));
        var expired = await client.GetAsync(url);

        Assert.Equal(200, (int)fresh.StatusCode);
        using var evt = JsonDocument.Parse(await fresh.Content.ReadAsStringAsync());
        Assert.Equal(Sandbox.AccessKeyId, evt.RootElement.GetProperty("requestContext").GetProperty("identity").GetProperty("accessKey").GetString());
        Assert.Equal("InvalidSignatureException", Assert.Single(tampered.Headers.GetValues("x-amzn-ErrorType")));
        await Expect.ErrorAsync(expired, 403, """{"message":"Signature expired: 20260310T120000Z is now earlier than 20260310T120001Z (20260310T120101Z - 60 sec.)"}""", "InvalidSignatureException");
    }

    [Fact]
    public async Task Invoke_PresignedWithoutAlgorithm_ReturnsIncompleteSignature()
    {
        await using var harness = await StartAsync();

        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/pets?X-Amz-Signature=abc");

        await Expect.ErrorAsync(
            response,
            403,
            """{"message":"AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."}""",
            "IncompleteSignatureException");
    }

    /// <summary>
    /// The API with NONE methods, endpoint A with a custom policy, endpoint B with the default: through A API Gateway reads the
    /// Authorization header to know whom the endpoint policy is for, so it must be SigV4 ("Use VPC endpoint policies for
    /// private APIs in API Gateway", considerations).
    /// </summary>
    private static async Task<GatewayHarness> StartWithEndpointPolicyAsync(string endpointPolicyA)
    {
        var harness = await GatewayHarness.StartAsync(ModelOf([EchoApi()], ImmutableDictionary<string, string>.Empty, endpointPolicyA: endpointPolicyA), time: new ManualTime(Now));
        harness.Lambda.AddEcho("echo");
        return harness;
    }

    private static async Task<HttpResponseMessage> SendWithAuthorizationAsync(GatewayHarness harness, System.Net.IPAddress eni, string authorization)
    {
        var request = Request("pets");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await harness.Client(eni).SendAsync(request);
    }

    [Fact]
    public async Task Invoke_NoneMethodCustomEndpointPolicyBearerToken_ReturnsIncompleteSignature()
    {
        await using var harness = await StartWithEndpointPolicyAsync(Allow);

        var response = await SendWithAuthorizationAsync(harness, GatewayHarness.EniA, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x");

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("IncompleteSignatureException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Empty(harness.Lambda.Events);
    }

    [Fact]
    public async Task Invoke_NoneMethodDefaultEndpointPolicyBearerToken_PassesTheHeaderOn()
    {
        await using var harness = await StartWithEndpointPolicyAsync(Allow);

        var response = await SendWithAuthorizationAsync(harness, GatewayHarness.EniB, "Bearer app-token");

        Assert.Equal(200, (int)response.StatusCode);
        using var evt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer app-token", evt.RootElement.GetProperty("headers").GetProperty("Authorization").GetString());
    }

    [Fact]
    public async Task Invoke_NoneMethodEndpointPolicyNamingARole_SignedCallerAllowedAnonymousDenied()
    {
        var onlyTheSandboxRole = $$"""
            {"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::{{Account}}:assumed-role/cloister-sandbox/cloister"},"Action":"execute-api:Invoke","Resource":"*"}]}
            """;
        await using var harness = await StartWithEndpointPolicyAsync(onlyTheSandboxRole);
        var client = harness.Client(GatewayHarness.EniA);

        var allowed = await client.SendAsync(Signed(path: "pets"));
        var anonymous = await client.SendAsync(Request("pets"));

        Assert.Equal(200, (int)allowed.StatusCode);
        await Expect.ErrorAsync(anonymous, 403, Expect.AccessDenied("GET", "pets", explicitDeny: false), "AccessDeniedException");
    }
}
