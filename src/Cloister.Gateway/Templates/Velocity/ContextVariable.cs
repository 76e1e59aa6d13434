using System.Globalization;
using Cloister.Gateway.Pipeline;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// <c>$context</c> and its groups (<c>$context.identity</c>, <c>$context.authorizer</c>...): a leaf's value comes
/// from the request state, the same source access logs read; <c>requestOverride</c> and <c>responseOverride</c>
/// are written by <c>#set</c>.
/// </summary>
internal sealed class ContextVariable(RequestState state, ContextOverrides overrides, string prefix) : IVtlObject
{
    public static ContextVariable Root(RequestState state, ContextOverrides overrides) => new(state, overrides, string.Empty);

    public bool TryGetProperty(string name, out object? value)
    {
        var path = prefix.Length == 0 ? name : prefix + "." + name;
        value = null;
        if (path == "responseOverride.status")
        {
            value = overrides.ResponseStatus is { } status ? (long)status : null;
            return true;
        }

        if (overrides.Group(prefix) is { } group)
        {
            value = group.GetValueOrDefault(name);
            return true;
        }

        if (IsGroup(path))
        {
            value = new ContextVariable(state, overrides, path);
            return true;
        }

        var (known, text) = state.Resolve("context." + path);
        value = text;
        return known;
    }

    public bool TryInvoke(string name, ReadOnlySpan<object?> arguments, out object? value)
    {
        value = null;
        if (name == "get" && arguments.Length == 1 && arguments[0] is string key)
        {
            return TryGetProperty(key, out value);
        }

        return false;
    }

    public bool TrySetProperty(string name, object? value)
    {
        if (prefix == "responseOverride" && name == "status")
        {
            return overrides.TrySetStatus(value);
        }

        if (overrides.Group(prefix) is { } group && value is not null)
        {
            group[name] = value is double real ? real.ToString(CultureInfo.InvariantCulture) : VtlValues.ToText(value);
            return true;
        }

        return false;
    }

    public override string ToString() => "$context" + (prefix.Length == 0 ? string.Empty : "." + prefix);

    private static bool IsGroup(string path) => path is "identity" or "authorizer" or "error" or "integration" or "customDomain"
        or "requestOverride" or "responseOverride" or "requestOverride.header" or "requestOverride.querystring" or "requestOverride.path"
        or "responseOverride.header" or "identity.clientCert" or "identity.clientCert.validity";
}
