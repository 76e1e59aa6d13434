using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Cloister.Model.LoadBalancing;
using Cloister.Network.Addressing;

namespace Cloister.Network.LoadBalancing;

/// <summary>
/// A listener rule ready to evaluate: every condition must match, each by any of its values. Source-ip blocks are
/// parsed once here, not per request.
/// </summary>
internal sealed class CompiledRule
{
    private readonly ImmutableArray<(string Field, ImmutableArray<string> Values, ImmutableArray<Ipv4Cidr> Blocks)> _conditions;

    public CompiledRule(int priority, ImmutableArray<RuleCondition> conditions, string targetGroupId, ListenerAction? action = null)
    {
        Priority = priority;
        TargetGroupId = targetGroupId;
        Action = action;
        _conditions = [.. conditions.Select(c => (c.Field, c.Values, c.Field == "source-ip"
            ? c.Values.Select(Ipv4Cidr.ParseOrNull).OfType<Ipv4Cidr>().ToImmutableArray()
            : []))];
    }

    public int Priority { get; }

    public string TargetGroupId { get; }

    /// <summary>The rule's fixed-response or redirect action; null when it forwards to <see cref="TargetGroupId"/>.</summary>
    public ListenerAction? Action { get; }

    public bool Matches(string host, string path, string method, IPAddress client)
    {
        // The Host header's port is not part of the host-header condition.
        var bareHost = host.AsSpan();
        var colon = bareHost.LastIndexOf(':');
        if (colon > 0 && bareHost[colon..].IndexOf(']') < 0)
        {
            bareHost = bareHost[..colon];
        }

        foreach (var (field, values, blocks) in _conditions)
        {
            var matched = field == "source-ip" ? InAny(blocks, client) : AnyValue(field, values, bareHost, path, method);
            if (!matched)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyValue(string field, ImmutableArray<string> values, ReadOnlySpan<char> host, string path, string method)
    {
        foreach (var value in values)
        {
            var matched = field switch
            {
                "host-header" => WildcardPattern.Matches(value, host, ignoreCase: true),
                "path-pattern" => WildcardPattern.Matches(value, path, ignoreCase: false),
                "http-request-method" => string.Equals(value, method, StringComparison.Ordinal),
                _ => false,
            };
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InAny(ImmutableArray<Ipv4Cidr> blocks, IPAddress client)
    {
        if (client.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        client.TryWriteBytes(bytes, out _);
        var address = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        foreach (var block in blocks)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
