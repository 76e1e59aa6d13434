using System.Collections.Immutable;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary><c>$stageVariables</c>: the stage's variables, read only.</summary>
internal sealed class StageVariablesVariable(ImmutableDictionary<string, string> variables) : IVtlObject
{
    public bool TryGetProperty(string name, out object? value)
    {
        value = variables.GetValueOrDefault(name);
        return true;
    }

    public bool TryInvoke(string name, ReadOnlySpan<object?> arguments, out object? value)
    {
        value = null;
        switch (name, arguments.Length)
        {
            case ("get", 1) when arguments[0] is string key:
                value = variables.GetValueOrDefault(key);
                return true;
            case ("keySet", 0):
                value = variables.Keys.Order(StringComparer.Ordinal).Cast<object?>().ToList();
                return true;
            case ("containsKey", 1) when arguments[0] is string key:
                value = variables.ContainsKey(key);
                return true;
            default:
                return false;
        }
    }

    public override string ToString() => "{" + string.Join(", ", variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + "=" + v.Value)) + "}";
}
