namespace Cloister.Gateway.Templates.Velocity;

/// <summary><c>$foreach</c> inside a loop: <c>hasNext</c>, <c>index</c> (from 0), <c>count</c> (from 1), <c>first</c>, <c>last</c>.</summary>
internal sealed class ForeachVariable(int length) : IVtlObject
{
    public int Index { get; set; }

    public bool TryGetProperty(string name, out object? value)
    {
        value = name switch
        {
            "hasNext" => Index < length - 1,
            "index" => (long)Index,
            "count" => (long)(Index + 1),
            "first" => Index == 0,
            "last" => Index == length - 1,
            _ => null,
        };
        return value is not null;
    }

    public bool TryInvoke(string name, ReadOnlySpan<object?> arguments, out object? value)
    {
        var property = name switch
        {
            "hasNext" => "hasNext",
            "getIndex" => "index",
            "getCount" => "count",
            "isFirst" => "first",
            "isLast" => "last",
            _ => string.Empty,
        };
        value = null;
        return arguments.IsEmpty && TryGetProperty(property, out value);
    }
}
