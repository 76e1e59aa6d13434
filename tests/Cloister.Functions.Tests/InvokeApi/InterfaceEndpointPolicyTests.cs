using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Policy;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// A Lambda interface endpoint's policy over Invoke: the AWS CLI v2 calls the Invoke API over HTTPS on a loopback socket
/// standing for the endpoint's network interface (<see cref="InterfaceEndpointListener"/>); the caller's identity
/// policy allows every Lambda action, the endpoint's policy only <c>lambda:InvokeFunction</c> on one named function.
/// </summary>
public sealed class InterfaceEndpointPolicyTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string Vpce = "vpce-0aaaabbbbccccdddd";
    private const string Vpc = "vpc-0123456789abcdef0";
    private const string Key = "ASIAENDPOINT00000001";

    private readonly string _home = Directory.CreateTempSubdirectory("cloister-endpoint-policy-").FullName;
    private readonly Socket _endpointSocket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly X509Certificate2 _certificate = SelfSigned();
    private string _named = string.Empty;
    private string _other = string.Empty;
    private InvokeApiServer? _server;

    private string OutFile => Path.Combine(_home, "out.json");

    public async Task InitializeAsync()
    {
        _named = await fixture.DeployAsync("python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"));
        _other = await fixture.DeployAsync("python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"));
        await File.WriteAllTextAsync(Path.Combine(_home, "ca.pem"), _certificate.ExportCertificatePem());
        _endpointSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpointSocket.Listen();
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:{{Region}}:{{Account}}:function:{{_named}}"}
            ]}
            """;
        _server = await InvokeApiServer.StartAsync(
            new InvokeApiOptions
            {
                EndpointListeners = [new InterfaceEndpointListener(Vpce, Vpc, _endpointSocket, _certificate)],
                Account = new AccountContext(Account, Region),
                Access = new LambdaAccess
                {
                    Callers = key => key == Key ? TestCallers.RoleSession("Caller", "\"lambda:*\"") : null,
                    Origins = _ => throw new InvalidOperationException("An endpoint listener's connection has the listener's origin."),
                    EndpointPolicies = new Dictionary<string, Cloister.Policy.Policy> { [Vpce] = TestCallers.Parse(policy, PolicyKind.Resource) },
                },
            },
            fixture.Service);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _endpointSocket.Dispose();
        _certificate.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Invoke_EndpointPolicyNamesTheFunction_Runs()
    {
        var aws = await InvokeAsync(_named);

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Equal("""{"n": 1}""", await File.ReadAllTextAsync(OutFile));
    }

    [Fact]
    public async Task Invoke_EndpointPolicyNamesAnotherFunction_AccessDeniedBecauseNoVpcEndpointPolicyAllows()
    {
        var aws = await InvokeAsync(_other);

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains(
            $"An error occurred (AccessDeniedException) when calling the Invoke operation: User: arn:aws:sts::{Account}:assumed-role/Caller/session is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:{Region}:{Account}:function:{_other} because no VPC endpoint policy allows the lambda:InvokeFunction action",
            aws.Error,
            StringComparison.Ordinal);
        Assert.False(File.Exists(OutFile));
    }

    private Task<(int ExitCode, string Output, string Error)> InvokeAsync(string function) =>
        new AwsCli(_home, Region) { CaBundle = Path.Combine(_home, "ca.pem") }.RunAsync(
            Key,
            TestCallers.Secret,
            "lambda", "invoke", "--endpoint-url", $"https://127.0.0.1:{((IPEndPoint)_endpointSocket.LocalEndPoint!).Port}", "--cli-binary-format", "raw-in-base64-out", "--function-name", function, "--payload", """{"n":1}""", OutFile);

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Vpce}.lambda.{Region}.vpce.amazonaws.com", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
