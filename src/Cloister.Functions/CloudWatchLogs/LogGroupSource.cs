using System.Collections.Immutable;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>A log group the sandbox serves and the files its events are read from.</summary>
/// <param name="Name">Its name, such as <c>/aws/lambda/orders</c>.</param>
/// <param name="CreationTime">When it was created (the deployment's time), in milliseconds since the epoch.</param>
/// <param name="RetentionInDays">
/// The template's <c>RetentionInDays</c>, the group's retention until PutRetentionPolicy or DeleteRetentionPolicy changes
/// it; null: events never expire.
/// </param>
/// <param name="Files">The files of its events (none for a declared group nothing writes to).</param>
public sealed record LogGroupSource(string Name, long CreationTime, int? RetentionInDays, ImmutableArray<LogFileSource> Files)
{
    /// <summary>The template's <c>Tags</c>: the group's tags until TagResource, UntagResource or DeleteLogGroup change them.</summary>
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Its log group class: <c>STANDARD</c> (the stack's groups), or what CreateLogGroup's <c>logGroupClass</c> said.</summary>
    public string Class { get; init; } = "STANDARD";

    /// <summary>The KMS key CreateLogGroup's <c>kmsKeyId</c> named (kept and described; the sandbox encrypts nothing); null for none.</summary>
    public string? KmsKeyId { get; init; }
}
