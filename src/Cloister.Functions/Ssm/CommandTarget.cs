using System.Collections.Immutable;

namespace Cloister.Functions.Ssm;

/// <summary>
/// One of SendCommand's <c>Targets</c>: <c>InstanceIds</c> with the ids, <c>tag:NAME</c> with the tag's values, or
/// <c>tag-key</c> with tag keys.
/// </summary>
internal sealed record CommandTarget(string Key, ImmutableArray<string> Values);
