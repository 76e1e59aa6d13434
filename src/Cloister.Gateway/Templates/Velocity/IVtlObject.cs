namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// A variable API Gateway provides to templates (<c>$input</c>, <c>$util</c>, <c>$context</c>...): its
/// properties and methods are looked up by name with a switch, never by reflection.
/// </summary>
internal interface IVtlObject
{
    /// <summary><c>$this.name</c>; false when it has no such property.</summary>
    bool TryGetProperty(string name, out object? value);

    /// <summary><c>$this.name(arguments)</c>; false when it has no such method.</summary>
    bool TryInvoke(string name, ReadOnlySpan<object?> arguments, out object? value);

    /// <summary><c>#set($this.name = value)</c>; false when the property cannot be set.</summary>
    bool TrySetProperty(string name, object? value) => false;
}
