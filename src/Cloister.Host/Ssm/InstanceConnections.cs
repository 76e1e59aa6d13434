using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Dns.Wire;
using Cloister.Network;
using Cloister.Network.Topology;

namespace Cloister.Host.Ssm;

/// <summary>
/// Connections as a process on an instance makes them: sockets opened inside the instance's network namespace (so its
/// security groups, ACLs, routes and endpoints apply), names resolved by the nameserver of the instance's resolv.conf
/// (the VPC's resolver) over UDP from inside it, and TLS trusting the sandbox CA, as the instance's CA bundle does.
/// </summary>
internal sealed class InstanceConnections(Sandbox sandbox, HostPlan host, X509Certificate2 root)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DnsTimeout = TimeSpan.FromSeconds(2);

    /// <summary>An HTTP client whose every connection leaves from the instance; TLS checked against the sandbox CA.</summary>
    public HttpClient Client() => new(
        new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, cancellationToken),
            // Longer than the agent's own dial timeout, so a dropped SYN is reported as the agent words it.
            ConnectTimeout = ConnectTimeout * 2,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Trusted },
        })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var address = IPAddress.TryParse(endPoint.Host, out var literal) ? literal : await ResolveAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        var socket = sandbox.CreateInNamespace(host.Namespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(address, endPoint.Port, timeout.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new IOException($"dial tcp {address}:{endPoint.Port}: i/o timeout");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"dial tcp {address}:{endPoint.Port}: {e.Message}", e);
        }
    }

    /// <summary>The first IPv4 address of <paramref name="name"/> as the instance's resolver answers it.</summary>
    private async Task<IPAddress> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        var resolver = Nameserver() ?? throw new IOException($"dial tcp: lookup {name}: the instance has no nameserver in its resolv.conf");
        using var socket = sandbox.CreateInNamespace(host.Namespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        var id = (ushort)Random.Shared.Next(ushort.MaxValue);
        var query = new byte[512];
        if (!DnsMessage.CreateQuery(id, name, DnsRecordType.A).TryWrite(query, out var written))
        {
            throw new IOException($"dial tcp: lookup {name}: the name does not fit a query");
        }

        await socket.ConnectAsync(resolver, 53, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
        var answer = new byte[4096];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DnsTimeout);
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(answer, timeout.Token).ConfigureAwait(false);
                if (!DnsMessage.TryParse(answer.AsSpan(0, read), out var message, out _, out _) || message.Id != id)
                {
                    continue;
                }

                return message.Answers.Select(a => a.Data).OfType<AddressRecordData>().Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                    ?? throw new IOException($"dial tcp: lookup {name} on {resolver}:53: no such host");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"dial tcp: lookup {name} on {resolver}:53: i/o timeout");
        }
        catch (SocketException e)
        {
            throw new IOException($"dial tcp: lookup {name} on {resolver}:53: {e.Message}", e);
        }
    }

    private IPAddress? Nameserver()
    {
        var path = Path.Combine(sandbox.Description.HostFilesDirectory, host.Namespace, "resolv.conf");
        return File.Exists(path)
            ? File.ReadLines(path)
                .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 2 && f[0] == "nameserver" && IPAddress.TryParse(f[1], out _))
                .Select(f => IPAddress.Parse(f[1]))
                .FirstOrDefault()
            : null;
    }

    private bool Trusted(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(root);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
