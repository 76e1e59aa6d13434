namespace Cloister.Model.Api;

/// <summary>A stage's access log: where and in what <c>$context</c> format.</summary>
/// <param name="DestinationArn">The log group (or Firehose) ARN.</param>
/// <param name="Format">The line format with <c>$context</c> variables.</param>
public sealed record AccessLogSetting(string DestinationArn, string Format);
