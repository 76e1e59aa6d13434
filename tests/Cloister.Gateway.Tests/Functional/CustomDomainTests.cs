using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Cloister.Certificates;
using Cloister.Gateway.Domains;
using Cloister.Gateway.Tests.Infrastructure;
using Cloister.Model.Security;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// Custom domain names over real HTTPS: TLS presents the name's certificate from the sandbox CA (SNI), a
/// private name works through an associated endpoint and is refused (403) through any other, its policy
/// denies everything until it allows, and base path mappings pick the API and stage.
/// </summary>
public sealed class CustomDomainTests : IDisposable
{
    private const string PrivateName = "api.corp.internal";
    private const string LockedName = "locked.corp.internal";
    private const string PublicName = "public.corp.internal";
    private const string OtherApi = "b1b2b3b4b5";
    private const string CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0000-4000-8000-000000000001";
    private static readonly string DomainArn = $"arn:aws:apigateway:{Region}:{Account}:/domainnames/{PrivateName}+dn00000001";
    private static readonly string LockedArn = $"arn:aws:apigateway:{Region}:{Account}:/domainnames/{LockedName}+dn00000002";

    private readonly string _caFolder = Path.Combine(Path.GetTempPath(), "cloister-gateway-ca", Guid.NewGuid().ToString("N"));
    private readonly SandboxCertificateAuthority _ca;

    public CustomDomainTests() => _ca = SandboxCertificateAuthority.LoadOrCreate(_caFolder);

    [Fact]
    public async Task PrivateDomain_AssociatedEndpoint_RoutesBasePathsWithItsOwnCertificate()
    {
        await using var harness = await StartAsync(Model());
        var client = harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa);

        var claims = await client.GetAsync($"https://{PrivateName}/claims/hello?x=1");
        var orders = await client.GetAsync($"https://{PrivateName}/orders/hello");

        Assert.Equal(200, (int)claims.StatusCode);
        using var first = JsonDocument.Parse(await claims.Content.ReadAsStringAsync());
        Assert.Equal((ApiId, "dev", PrivateName, "api", "claims", "/hello"), Describe(first));
        Assert.Equal("/claims/hello", first.RootElement.GetProperty("path").GetString());
        Assert.Equal(200, (int)orders.StatusCode);
        using var second = JsonDocument.Parse(await orders.Content.ReadAsStringAsync());
        Assert.Equal((OtherApi, "live", PrivateName, "api", "orders", "/hello"), Describe(second));
    }

    [Fact]
    public async Task PrivateDomain_NonAssociatedEndpoint_Returns403()
    {
        await using var harness = await StartAsync(Model());

        var response = await harness.Client(GatewayHarness.EniB, validate: TrustSandboxCa).GetAsync($"https://{PrivateName}/claims/hello");

        await Expect.ErrorAsync(response, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task PrivateDomain_WithoutPolicy_DeniesUntilAPolicyIsPut()
    {
        var model = Model();
        await using var harness = await StartAsync(model);
        var client = harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa);

        var denied = await client.GetAsync($"https://{LockedName}/dev/hello");

        await Expect.ErrorAsync(denied, 403, Expect.AccessDenied("GET", "hello", explicitDeny: false), "AccessDeniedException");

        harness.Server.Update(model with
        {
            PrivateDomainNames = [.. model.PrivateDomainNames.Select(d => d.Name == LockedName ? d with { Policy = AllowFrom(VpceA) } : d)],
        });
        var allowed = await client.GetAsync($"https://{LockedName}/dev/hello");

        Assert.Equal(200, (int)allowed.StatusCode);
        using var body = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync());
        Assert.Equal((ApiId, "dev", LockedName, "locked", "(none)", "/hello"), Describe(body));
    }

    [Fact]
    public async Task PrivateDomain_PolicyDeniesTheEndpoint_ReturnsExplicitDeny()
    {
        var model = Model();
        var deny = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0aaaaaaaaaaaaaaaa"}}}]}""";
        await using var harness = await StartAsync(model with
        {
            PrivateDomainNames = [.. model.PrivateDomainNames.Select(d => d.Name == PrivateName ? d with { Policy = deny } : d)],
        });

        var response = await harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa).GetAsync($"https://{PrivateName}/claims/hello");

        await Expect.ErrorAsync(response, 403, Expect.AccessDenied("GET", "hello", explicitDeny: true), "AccessDeniedException");
    }

    [Fact]
    public async Task PrivateDomain_UnmappedBasePath_Returns403AndUnknownResource403Token()
    {
        await using var harness = await StartAsync(Model());
        var client = harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa);

        var unmapped = await client.GetAsync($"https://{PrivateName}/nothing/hello");
        var unknown = await client.GetAsync($"https://{PrivateName}/claims/nope");

        await Expect.ErrorAsync(unmapped, 403, Expect.Forbidden, "ForbiddenException");
        await Expect.ErrorAsync(unknown, 403, Expect.MissingAuthenticationToken, "MissingAuthenticationTokenException");
    }

    [Fact]
    public async Task PrivateDomain_EndpointNameWithHostHeader_RoutesByHost()
    {
        await using var harness = await StartAsync(Model());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{VpceA}-abcdefgh.execute-api.{Region}.vpce.amazonaws.com/claims/hello");
        request.Headers.Host = PrivateName;

        // As `curl https://{vpce-dns}/{basepath} -H 'Host: {name}'`. (.NET's client also sends the Host as SNI, so the name's certificate answers.)
        var response = await harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa).SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(PrivateName, body.RootElement.GetProperty("domain").GetString());
    }

    [Fact]
    public async Task Curl_CustomNameAndEndpointNameWithHost_BothServeTheMappedApi()
    {
        await using var harness = await StartAsync(Model());
        var port = harness.Server.PortOf(GatewayHarness.EniA);
        var bundle = Path.Combine(harness.StateRoot, "bundle.pem");
        Directory.CreateDirectory(harness.StateRoot);
        await File.WriteAllTextAsync(bundle, _ca.Root.ExportCertificatePem() + "\n" + TestCertificates.Ca.ExportCertificatePem() + "\n");
        var endpointName = $"{VpceA}-abcdefgh.execute-api.{Region}.vpce.amazonaws.com";

        var byName = await CurlAsync("--cacert", bundle, "--resolve", $"{PrivateName}:{port}:{GatewayHarness.EniA}", $"https://{PrivateName}:{port}/claims/hello");
        var byEndpoint = await CurlAsync("--cacert", bundle, "--resolve", $"{endpointName}:{port}:{GatewayHarness.EniA}", "-H", $"Host: {PrivateName}", $"https://{endpointName}:{port}/orders/hello");

        Assert.EndsWith("\n200", byName, StringComparison.Ordinal);
        Assert.Contains($"\"api\":\"{ApiId}\"", byName, StringComparison.Ordinal);
        Assert.EndsWith("\n200", byEndpoint, StringComparison.Ordinal);
        Assert.Contains($"\"api\":\"{OtherApi}\"", byEndpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegionalDomain_NoneMappingWithoutStage_TakesStageFromPath()
    {
        await using var harness = await StartAsync(Model());
        var client = harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa);

        var response = await client.GetAsync($"https://{PublicName}/dev/hello");
        var executeApi = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/hello");

        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((ApiId, "dev", PublicName, "public", "(none)", "/hello"), Describe(body));
        Assert.Equal("/dev/hello", body.RootElement.GetProperty("path").GetString());
        Assert.Equal(200, (int)executeApi.StatusCode);
    }

    private static Task<string> CurlAsync(params string[] arguments) => Curl.RunAsync(["-sS", "-w", "\n%{http_code}", .. arguments]);

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_caFolder, recursive: true);
    }

    private Task<GatewayHarness> StartAsync(GatewayModel model) =>
        GatewayHarness.StartAsync(model, configure: o => o with { CertificateIssuer = new SandboxCaCertificateIssuer(_ca) });

    /// <summary>Trusts only the sandbox CA and insists the certificate names the host asked for.</summary>
    private bool TrustSandboxCa(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca.Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    private static (string?, string?, string?, string?, string?, string?) Describe(JsonDocument body)
    {
        var root = body.RootElement;
        return (root.GetProperty("api").GetString(), root.GetProperty("stage").GetString(), root.GetProperty("domain").GetString(),
            root.GetProperty("prefix").GetString(), root.GetProperty("basePath").GetString(), root.GetProperty("resourcePath").GetString());
    }

    private static GatewayModel Model()
    {
        const string Describing = """{"api":"$context.apiId","stage":"$context.stage","domain":"$context.domainName","prefix":"$context.domainPrefix","basePath":"$context.customDomain.basePathMatched","resourcePath":"$context.resourcePath","path":"$context.path"}""";
        var hello = Resource("res0000001", "/hello", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, Describing))));
        var claims = Api(ApiId, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}""", hello);
        var orders = Api(OtherApi, AllowFrom(VpceA), hello);
        var model = ModelOf(claims, orders);
        return model with
        {
            Stages = [model.Stages[0], model.Stages[1] with { StageName = "live" }],
            Certificates = [new Certificate(CertificateArn, "Cert", PrivateName, ["*.corp.internal"])],
            PrivateDomainNames =
            [
                new DomainNameV2(DomainArn, "Domain", PrivateName, "dn00000001", CertificateArn, AllowFrom(VpceA)),
                new DomainNameV2(LockedArn, "Locked", LockedName, "dn00000002", CertificateArn, null),
            ],
            PrivateBasePathMappings =
            [
                new BasePathMappingV2(DomainArn + "/basepathmappings/claims", "Claims", DomainArn, "claims", ApiId, "dev"),
                new BasePathMappingV2(DomainArn + "/basepathmappings/orders", "Orders", DomainArn, "orders", OtherApi, "live"),
                new BasePathMappingV2(LockedArn + "/basepathmappings/(none)", "Everything", LockedArn, string.Empty, ApiId, null),
            ],
            DomainNameAccessAssociations =
            [
                new DomainNameAccessAssociation("arn:assoc/1", "AccessA", DomainArn, "VPCE", VpceA),
                new DomainNameAccessAssociation("arn:assoc/2", "LockedA", LockedArn, "VPCE", VpceA),
            ],
            DomainNames = [new DomainName(PublicName, "Public", PublicName, EndpointType.Regional, null, "TLS_1_2")],
            BasePathMappings = [new BasePathMapping(PublicName + "/", "PublicAll", PublicName, string.Empty, ApiId, null)],
        };
    }
}
