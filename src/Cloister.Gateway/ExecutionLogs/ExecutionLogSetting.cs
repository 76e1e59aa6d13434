namespace Cloister.Gateway.ExecutionLogs;

/// <summary>What a method's execution log holds.</summary>
/// <param name="Level">The level.</param>
/// <param name="DataTrace">Whether INFO also logs the request's and response's data (<c>DataTraceEnabled</c>).</param>
internal readonly record struct ExecutionLogSetting(ExecutionLogLevel Level, bool DataTrace);
