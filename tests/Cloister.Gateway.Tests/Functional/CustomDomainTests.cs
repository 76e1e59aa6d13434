using System.Collections.Immutable;
using System.Net;
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
    private const string RegionalApi = "r1r2r3r4r5";
    private const string ShopName = "shop.example.com";
    private const string ShopCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0000-4000-8000-000000000002";
    private const string Describing = """{"api":"$context.apiId","stage":"$context.stage","domain":"$context.domainName","prefix":"$context.domainPrefix","basePath":"$context.customDomain.basePathMatched","resourcePath":"$context.resourcePath","path":"$context.path","vpce":"$context.identity.vpceId"}""";

    /// <summary>Where the Region's API Gateway front end listens in these tests (the sandbox's is 198.18.6.10).</summary>
    private static readonly IPAddress RegionalFrontEnd = IPAddress.Parse("127.0.0.4");
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

    [Fact]
    public async Task RegionalDomain_AtTheRegionsFrontEndWithItsNameAsSni_ServesTheRegionalApiWithItsCertificate()
    {
        await using var harness = await StartAsync(RegionalModel(), regional: true);
        var client = harness.Client(RegionalFrontEnd, validate: TrustSandboxCa);

        var served = await client.GetAsync($"https://{ShopName}/shop/hello");
        var mappedToPrivate = await client.GetAsync($"https://{ShopName}/private/hello");

        Assert.Equal(200, (int)served.StatusCode);
        using var body = JsonDocument.Parse(await served.Content.ReadAsStringAsync());
        Assert.Equal((RegionalApi, "dev", ShopName, "shop", "shop", "/hello"), Describe(body));
        Assert.Equal(string.Empty, body.RootElement.GetProperty("vpce").GetString());
        await Expect.ErrorAsync(mappedToPrivate, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task RegionalDomain_RegionalApiThroughAnEndpointOrPrivateNamesAtTheFrontEnd_Return403()
    {
        await using var harness = await StartAsync(RegionalModel(), regional: true);
        var frontEnd = harness.Client(RegionalFrontEnd, validate: TrustSandboxCa);

        var throughEndpoint = await harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa).GetAsync($"https://{ShopName}/shop/hello");
        var privateName = await frontEnd.GetAsync($"https://{PrivateName}/claims/hello");
        var privateApi = await harness.Client(RegionalFrontEnd).GetAsync($"https://{PrivateHost()}/dev/hello");

        await Expect.ErrorAsync(throughEndpoint, 403, Expect.Forbidden, "ForbiddenException");
        await Expect.ErrorAsync(privateName, 403, Expect.Forbidden, "ForbiddenException");
        await Expect.ErrorAsync(privateApi, 403, Expect.Forbidden, "ForbiddenException");
    }

    [Fact]
    public async Task RegionalDomain_LambdaProxyAtTheFrontEnd_EventWithoutEndpointFields()
    {
        var model = RegionalModel();
        var echo = Resource("res0000009", "/echo", Method("GET", LambdaProxy("echo")));
        model = model with
        {
            Apis = [.. model.Apis.Select(a => a.Id == RegionalApi ? a with { Resources = [.. a.Resources, echo] } : a)],
            Deployments = [.. model.Deployments.Select(d => d.RestApiId == RegionalApi ? d with { Snapshot = d.Snapshot with { Resources = [.. d.Snapshot.Resources, echo] } } : d)],
        };
        await using var harness = await StartAsync(model, regional: true);
        harness.Lambda.AddEcho("echo");

        var response = await harness.Client(RegionalFrontEnd, GatewayHarness.ClientOne, TrustSandboxCa).GetAsync($"https://{ShopName}/shop/echo");

        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var context = document.RootElement.GetProperty("requestContext");
        var identity = context.GetProperty("identity");
        var headers = document.RootElement.GetProperty("headers");
        Assert.Equal((ShopName, RegionalApi, "/shop/echo"), (context.GetProperty("domainName").GetString(), context.GetProperty("apiId").GetString(), context.GetProperty("path").GetString()));
        Assert.Equal(GatewayHarness.ClientOne.ToString(), identity.GetProperty("sourceIp").GetString());
        Assert.False(identity.TryGetProperty("vpceId", out _));
        Assert.False(identity.TryGetProperty("vpcId", out _));
        Assert.False(headers.TryGetProperty("x-amzn-vpce-id", out _));
        Assert.False(headers.TryGetProperty("x-amzn-vpce-config", out _));
        Assert.Equal(GatewayHarness.ClientOne.ToString(), headers.GetProperty("X-Forwarded-For").GetString());
    }

    [Fact]
    public async Task Curl_RegionalDomainAtTheFrontEnd_SniPicksTheNamesCertificateAndTheApiAnswers()
    {
        await using var harness = await StartAsync(RegionalModel(), regional: true);
        var port = harness.Server.PortOf(RegionalFrontEnd);
        var bundle = Path.Combine(harness.StateRoot, "bundle.pem");
        Directory.CreateDirectory(harness.StateRoot);
        await File.WriteAllTextAsync(bundle, _ca.Root.ExportCertificatePem() + "\n");

        // Only the sandbox CA is trusted, so the execute-api certificate (another CA's) would fail the handshake.
        var output = await CurlAsync("--cacert", bundle, "--resolve", $"{ShopName}:{port}:{RegionalFrontEnd}", $"https://{ShopName}:{port}/shop/hello");

        Assert.EndsWith("\n200", output, StringComparison.Ordinal);
        Assert.Contains($"\"api\":\"{RegionalApi}\"", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// AWS: with the default endpoint disabled, clients "can still connect to your default endpoint, but they will receive
    /// a 403 Forbidden status code" ("Disable the default endpoint for REST APIs"); custom domain names still serve the API.
    /// Before, the setting was read from the template and dropped, and the default name kept serving.
    /// </summary>
    [Fact]
    public async Task DefaultEndpointDisabled_PrivateApi_DefaultNameForbiddenItsPrivateDomainAndOtherApisServed()
    {
        var model = Model();
        model = model with { Apis = [.. model.Apis.Select(a => a.Id == ApiId ? a with { DisableExecuteApiEndpoint = true } : a)] };
        await using var harness = await StartAsync(model);
        var client = harness.Client(GatewayHarness.EniA, validate: TrustSandboxCa);

        var defaultName = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/hello");
        var domain = await client.GetAsync($"https://{PrivateName}/claims/hello");
        var otherApi = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost(OtherApi)}/live/hello");

        await Expect.ErrorAsync(defaultName, 403, Expect.Forbidden, "ForbiddenException");
        Assert.Equal(200, (int)domain.StatusCode);
        using var body = JsonDocument.Parse(await domain.Content.ReadAsStringAsync());
        Assert.Equal((ApiId, "dev", PrivateName, "api", "claims", "/hello"), Describe(body));
        Assert.Equal(200, (int)otherApi.StatusCode);
    }

    [Fact]
    public async Task DefaultEndpointDisabled_RegionalApi_DefaultNameForbiddenAtTheFrontEndItsRegionalDomainServed()
    {
        var model = RegionalModel();
        model = model with { Apis = [.. model.Apis.Select(a => a.Id == RegionalApi ? a with { DisableExecuteApiEndpoint = true } : a)] };
        await using var harness = await StartAsync(model, regional: true);

        var defaultName = await harness.Client(RegionalFrontEnd).GetAsync($"https://{PrivateHost(RegionalApi)}/dev/hello");
        var domain = await harness.Client(RegionalFrontEnd, validate: TrustSandboxCa).GetAsync($"https://{ShopName}/shop/hello");

        await Expect.ErrorAsync(defaultName, 403, Expect.Forbidden, "ForbiddenException");
        Assert.Equal(200, (int)domain.StatusCode);
    }

    private static Task<string> CurlAsync(params string[] arguments) => Curl.RunAsync(["-sS", "-w", "\n%{http_code}", .. arguments]);

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_caFolder, recursive: true);
    }

    /// <summary>A gateway serving <paramref name="model"/> with the sandbox CA's certificates; with <paramref name="regional"/>, also as the Region's front end at <see cref="RegionalFrontEnd"/>.</summary>
    private Task<GatewayHarness> StartAsync(GatewayModel model, bool regional = false) =>
        GatewayHarness.StartAsync(model, configure: o => o with
        {
            CertificateIssuer = new SandboxCaCertificateIssuer(_ca),
            Listeners = regional ? [.. o.Listeners, GatewayListener.Regional(new IPEndPoint(RegionalFrontEnd, 0))] : o.Listeners,
        });

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

    /// <summary>
    /// <see cref="Model"/> with a REGIONAL API (no resource policy: a public API needs none) and a REGIONAL name mapping
    /// <c>shop</c> to it and <c>private</c> to the private API.
    /// </summary>
    private static GatewayModel RegionalModel()
    {
        var hello = Resource("res0000001", "/hello", Method("GET", Mock("""{"statusCode": 200}""", Response("200", null, Describing))));
        var model = Model();
        var regional = Api(RegionalApi, policy: null, hello) with { EndpointType = EndpointType.Regional };
        var withApi = ModelOf([.. model.Apis, regional], ImmutableDictionary<string, string>.Empty);
        return model with
        {
            Apis = withApi.Apis,
            Deployments = withApi.Deployments,
            Stages = [.. model.Stages, withApi.Stages[^1]],
            Certificates = [.. model.Certificates, new Certificate(ShopCertificateArn, "ShopCert", ShopName, [])],
            DomainNames = [.. model.DomainNames, new DomainName(ShopName, "Shop", ShopName, EndpointType.Regional, ShopCertificateArn, "TLS_1_2") { RegionalDomainName = $"d-ab12cd34ef.execute-api.{Region}.amazonaws.com" }],
            BasePathMappings =
            [
                .. model.BasePathMappings,
                new BasePathMapping(ShopName + "/shop", "ShopApi", ShopName, "shop", RegionalApi, "dev"),
                new BasePathMapping(ShopName + "/private", "ShopPrivate", ShopName, "private", ApiId, "dev"),
            ],
        };
    }

    private static GatewayModel Model()
    {
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
