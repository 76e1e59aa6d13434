using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Gateway.Ports;
using Cloister.Gateway.Tests.Fakes;
using Cloister.Model;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>
/// A gateway over real HTTPS on loopback: endpoint A (VPC A) has its interface at 127.0.0.2, endpoint B
/// (VPC B) at 127.0.0.3. Clients connect to an interface from a chosen loopback source address, so
/// <c>aws:VpcSourceIp</c> and <c>identity.sourceIp</c> are real. Lambda integrations go to an in-process
/// fake unless a real invoker is given.
/// </summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    public static readonly IPAddress EniA = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress EniB = IPAddress.Parse("127.0.0.3");
    public static readonly IPAddress ClientOne = IPAddress.Parse("127.0.0.10");
    public static readonly IPAddress ClientTwo = IPAddress.Parse("127.0.0.11");

    private readonly List<HttpClient> _clients = [];

    private GatewayHarness(GatewayServer server, InProcessLambda lambda, string stateRoot)
    {
        Server = server;
        Lambda = lambda;
        StateRoot = stateRoot;
    }

    public GatewayServer Server { get; }

    public InProcessLambda Lambda { get; }

    public string StateRoot { get; }

    public StatePaths State => new(StateRoot);

    public static async Task<GatewayHarness> StartAsync(GatewayModel model, InProcessLambda? lambda = null, TimeProvider? time = null, ILambdaInvoker? invoker = null, Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        lambda ??= new InProcessLambda();
        var root = Path.Combine(Path.GetTempPath(), "cloister-gateway-tests", Guid.NewGuid().ToString("N"));
        var options = new GatewayOptions
        {
            Certificate = TestCertificates.Server,
            Listeners =
            [
                new GatewayListener(Apis.VpceA, Apis.VpcA, new IPEndPoint(EniA, 0)),
                new GatewayListener(Apis.VpceB, Apis.VpcB, new IPEndPoint(EniB, 0)),
            ],
            Lambda = invoker ?? lambda,
            State = new StatePaths(root),
            Time = time ?? TimeProvider.System,
        };
        var server = await GatewayServer.StartAsync(configure is null ? options : configure(options), model.Functions.IsEmpty ? Apis.PermittingApiGateway(model) : model);
        return new GatewayHarness(server, lambda, root);
    }

    /// <summary>A client whose every connection goes to <paramref name="eni"/>, from <paramref name="source"/> when given, whatever the URL's host.</summary>
    public HttpClient Client(IPAddress eni, IPAddress? source = null, Func<X509Certificate?, SslPolicyErrors, bool>? validate = null)
    {
        var port = Server.PortOf(eni);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (source is not null)
                    {
                        socket.Bind(new IPEndPoint(source, 0));
                    }

                    await socket.ConnectAsync(new IPEndPoint(eni, port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => (validate ?? TestCertificates.Validate)(certificate, errors);
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        _clients.Add(client);
        return client;
    }

    /// <summary>The access log file of a stage.</summary>
    public string AccessLogPath(string apiId = Apis.ApiId, string stage = "dev") => Path.Combine(State.AccessLogs, $"{apiId}_{stage}.log");

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(StateRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
