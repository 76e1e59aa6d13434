namespace Cloister.Gateway.Routing;

/// <summary>
/// Reads the API a request is for from its <c>x-apigw-api-id</c> header (which wins) or its Host:
/// <c>{api-id}.execute-api.{region}.{suffix}</c> or <c>{api-id}-{vpce-id}.execute-api.{region}.{suffix}</c>.
/// An endpoint-specific name (<c>vpce-....vpce.amazonaws.com</c>) alone names no API.
/// </summary>
internal sealed class InvocationTargetParser
{
    private readonly string _suffix;

    public InvocationTargetParser(string region, string urlSuffix) => _suffix = $".execute-api.{region}.{urlSuffix}";

    public InvocationTarget? Parse(string? apiIdHeader, string? host) =>
        TryRead(apiIdHeader, host, out var name)
            ? new InvocationTarget(name.ApiId.ToString(), name.DomainName, FirstLabel(name.DomainName), name.NamedVpcEndpointId.IsEmpty ? null : name.NamedVpcEndpointId.ToString())
            : null;

    /// <summary>A domain name's first label (<c>$context.domainPrefix</c>).</summary>
    public static string FirstLabel(string domain) => domain.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? domain[..dot] : domain;

    /// <summary>As <see cref="Parse"/>, without building strings for the API and endpoint ids (the request path reads them as spans).</summary>
    public bool TryRead(string? apiIdHeader, string? host, out InvocationName name)
    {
        var domain = StripPort(host ?? string.Empty);
        if (!string.IsNullOrEmpty(apiIdHeader))
        {
            name = new InvocationName(apiIdHeader.AsSpan().Trim(), domain, default);
            return true;
        }

        var firstDot = domain.IndexOf('.', StringComparison.Ordinal);
        if (!domain.EndsWith(_suffix, StringComparison.OrdinalIgnoreCase) || firstDot != domain.Length - _suffix.Length || firstDot <= 0)
        {
            name = default;
            return false;
        }

        // API and endpoint ids are lower case; a label written otherwise is lowered (a string only then).
        var label = domain.AsSpan(0, firstDot);
        if (label.ContainsAnyInRange('A', 'Z'))
        {
            label = label.ToString().ToLowerInvariant();
        }

        var vpce = label.IndexOf("-vpce-", StringComparison.Ordinal);
        name = vpce > 0 ? new InvocationName(label[..vpce], domain, label[(vpce + 1)..]) : new InvocationName(label, domain, default);
        return true;
    }

    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']', StringComparison.Ordinal) < colon ? host[..colon] : host;
    }
}

/// <summary>What <see cref="InvocationTargetParser.TryRead"/> found: the ids as spans of the Host (or header).</summary>
/// <param name="ApiId">The API id.</param>
/// <param name="DomainName">The host the client used, without a port.</param>
/// <param name="NamedVpcEndpointId">The endpoint named in an <c>{api-id}-{vpce-id}</c> host; empty otherwise.</param>
internal readonly ref struct InvocationName(ReadOnlySpan<char> ApiId, string DomainName, ReadOnlySpan<char> NamedVpcEndpointId)
{
    public ReadOnlySpan<char> ApiId { get; } = ApiId;

    public string DomainName { get; } = DomainName;

    public ReadOnlySpan<char> NamedVpcEndpointId { get; } = NamedVpcEndpointId;
}
