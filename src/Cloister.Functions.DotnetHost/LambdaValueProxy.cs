using System.Reflection;

namespace Cloister.Functions.DotnetHost;

/// <summary>
/// Stands in for an interface of Amazon.Lambda.Core made of properties only (<c>IClientContext</c>,
/// <c>IClientApplication</c>, <c>ICognitoIdentity</c>): each getter answers the value of its property's name, and null (or
/// the default of a value type) when there is none or it is not of the property's type.
/// </summary>
internal class LambdaValueProxy : DispatchProxy
{
    private IReadOnlyDictionary<string, object?> _values = new Dictionary<string, object?>();

    /// <summary>A proxy of <paramref name="contract"/> answering <paramref name="values"/>, keyed by property name.</summary>
    public static object Create(Type contract, IReadOnlyDictionary<string, object?> values)
    {
        var proxy = (LambdaValueProxy)Create(contract, typeof(LambdaValueProxy));
        proxy._values = values;
        return proxy;
    }

    /// <summary>What a member with no value answers: null, or the default of a value type.</summary>
    public static object? DefaultOf(MethodInfo? method) =>
        method is { ReturnType.IsValueType: true } && method.ReturnType != typeof(void)
            ? Activator.CreateInstance(method.ReturnType)
            : null;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod is not null
        && targetMethod.Name.StartsWith("get_", StringComparison.Ordinal)
        && _values.TryGetValue(targetMethod.Name[4..], out var value)
        && value is not null
        && targetMethod.ReturnType.IsInstanceOfType(value)
            ? value
            : DefaultOf(targetMethod);
}
