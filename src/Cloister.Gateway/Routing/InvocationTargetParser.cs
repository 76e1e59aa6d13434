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

    public InvocationTarget? Parse(string? apiIdHeader, string? host)
    {
        var domain = StripPort(host ?? string.Empty);
        var firstDot = domain.IndexOf('.', StringComparison.Ordinal);
        var prefix = firstDot < 0 ? domain : domain[..firstDot];
        if (!string.IsNullOrEmpty(apiIdHeader))
        {
            return new InvocationTarget(apiIdHeader.Trim(), domain, prefix, null);
        }

        if (!domain.EndsWith(_suffix, StringComparison.OrdinalIgnoreCase) || firstDot != domain.Length - _suffix.Length || prefix.Length == 0)
        {
            return null;
        }

        var label = prefix.ToLowerInvariant();
        var vpce = label.IndexOf("-vpce-", StringComparison.Ordinal);
        return vpce > 0
            ? new InvocationTarget(label[..vpce], domain, prefix, label[(vpce + 1)..])
            : new InvocationTarget(label, domain, prefix, null);
    }

    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']', StringComparison.Ordinal) < colon ? host[..colon] : host;
    }
}
