using System.Net;
using System.Net.Sockets;
using Cloister.Dns.Wire;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Support;

/// <summary>
/// A DNS server on a loopback address that answers every UDP query with what a function makes of it: an upstream that
/// behaves as no Cloister resolver would (an authoritative-only server returning a bare CNAME, a slow one).
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Func<DnsMessage, Task<DnsMessage?>> _answer;
    private readonly int _bytesAfterAnswers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _queries;

    private ScriptedUpstream(string address, Func<DnsMessage, Task<DnsMessage?>> answer, int bytesAfterAnswers = 0)
    {
        _socket = Loopback.Udp(address);
        _answer = answer;
        _bytesAfterAnswers = bytesAfterAnswers;
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public TargetAddress Target => new(EndPoint.Address.ToString(), EndPoint.Port);

    /// <summary>How many queries arrived.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Answers each query with <paramref name="answer"/>'s response; null sends nothing.</summary>
    public static ScriptedUpstream Start(string address, Func<DnsMessage, Task<DnsMessage?>> answer) => new(address, answer);

    /// <summary>Answers as <see cref="Answering"/> does, each datagram with <paramref name="bytesAfter"/> zero bytes after the message.</summary>
    public static ScriptedUpstream AnsweringWithBytesAfter(string address, int bytesAfter, params DnsResourceRecord[] records) =>
        new(address, query => Task.FromResult<DnsMessage?>(query with { IsResponse = true, Answers = [.. records], Edns = null }), bytesAfter);

    /// <summary>Answers each query NOERROR with <paramref name="records"/> as its answer section, owner names as given.</summary>
    public static ScriptedUpstream Answering(string address, params DnsResourceRecord[] records) =>
        new(address, query => Task.FromResult<DnsMessage?>(query with { IsResponse = true, RecursionAvailable = false, Answers = [.. records], Edns = null }));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }

        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[4096];
        while (!_stopping.IsCancellationRequested)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stopping.Token);
            Interlocked.Increment(ref _queries);
            var query = DnsMessage.Parse(buffer.AsSpan(0, received.ReceivedBytes));
            var remote = received.RemoteEndPoint;
            _ = Task.Run(async () =>
            {
                var response = await _answer(query);
                if (response is null)
                {
                    return;
                }

                var reply = new byte[4096];
                if (response.TryWrite(reply, out var length))
                {
                    await _socket.SendToAsync(reply.AsMemory(0, length + _bytesAfterAnswers), SocketFlags.None, remote);
                }
            });
        }
    }
}
