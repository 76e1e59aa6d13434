namespace Cloister.Model.Data;

/// <summary>One element of a key schema.</summary>
/// <param name="AttributeName">The attribute.</param>
/// <param name="KeyType"><c>HASH</c> or <c>RANGE</c>.</param>
public sealed record KeyElement(string AttributeName, string KeyType);
