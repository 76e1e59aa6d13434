namespace Cloister.Tables.Operations;

/// <summary>What the HTTP layer knows about a request that some operations echo (the Host it was sent to).</summary>
internal sealed record RequestInfo(string Host);
