using System.Globalization;
using Cloister.Model;

namespace Cloister.Dns.Tests.Support;

/// <summary>A <see cref="DnsService"/> serving one VPC's resolver on a loopback port, UDP and TCP.</summary>
internal sealed class RunningResolver : IAsyncDisposable
{
    private RunningResolver(DnsService service, DnsListener listener, string? logFolder)
    {
        Service = service;
        Listener = listener;
        LogFolder = logFolder;
    }

    public DnsService Service { get; }

    public DnsListener Listener { get; }

    public string? LogFolder { get; }

    public int Port => Listener.UdpEndPoint!.Port;

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    public static RunningResolver Start(CloudModel model, string vpcId, bool logs = false, string address = "127.0.0.1")
    {
        string? folder = null;
        StatePaths? state = null;
        if (logs)
        {
            folder = Path.Combine(Path.GetTempPath(), "cloister-dns-tests-" + Guid.NewGuid().ToString("N"));
            state = new StatePaths(folder);
        }

        var service = new DnsService(new DnsServiceOptions { State = state });
        service.Apply(model);
        var (udp, tcp) = Loopback.Pair(address);
        var listener = service.StartVpcResolver(vpcId, udp, tcp);
        return new RunningResolver(service, listener, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        if (LogFolder is not null && Directory.Exists(LogFolder))
        {
            Directory.Delete(LogFolder, recursive: true);
        }
    }
}
