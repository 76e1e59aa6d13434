using Cloister.Tables.Values;

namespace Cloister.Tables.Protocol;

/// <summary>Why one action of a transaction was cancelled (<c>None</c> when it was not the cause).</summary>
internal sealed record CancellationReason(string Code, string? Message, IReadOnlyDictionary<string, AttributeValue>? Item);
