using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Network;

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
    private const string Key = "ASIAENDPOINT00000001";

    private readonly TestHome _home = new("cloister-endpoint-policy-");
    private readonly LoopbackInterfaceEndpoint _endpoint = new(Vpce);
    private string _named = string.Empty;
    private string _other = string.Empty;
    private InvokeApiServer? _server;

    private string OutFile => Path.Combine(_home.Folder, "out.json");

    public async Task InitializeAsync()
    {
        _named = await fixture.DeployAsync("python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"));
        _other = await fixture.DeployAsync("python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"));
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:{{Region}}:{{Account}}:function:{{_named}}"}
            ]}
            """;
        _server = await InvokeApiServer.StartAsync(
            new InvokeApiOptions
            {
                EndpointListeners = [_endpoint.Listener(_home.Certificate)],
                Account = new AccountContext(Account, Region),
                Access = _endpoint.Access<LambdaAccess>(key => key == Key ? TestCallers.RoleSession("Caller", "\"lambda:*\"") : null, policy),
            },
            fixture.Service);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _endpoint.Dispose();
        _home.Dispose();
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
        _home.Cli(Region).RunAsync(
            Key,
            TestCallers.Secret,
            "lambda", "invoke", "--endpoint-url", _endpoint.Url, "--cli-binary-format", "raw-in-base64-out", "--function-name", function, "--payload", """{"n":1}""", OutFile);
}
