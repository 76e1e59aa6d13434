namespace Cloister.Model.Api;

/// <summary>Per-method settings of a stage; <c>*/*</c> applies to every method.</summary>
/// <param name="ResourcePath">The resource path, or <c>*</c>.</param>
/// <param name="HttpMethod">The method, or <c>*</c>.</param>
/// <param name="ThrottlingRateLimit">Steady requests per second, if set.</param>
/// <param name="ThrottlingBurstLimit">Bucket size, if set.</param>
/// <param name="LoggingLevel"><c>OFF</c>, <c>ERROR</c> or <c>INFO</c>.</param>
/// <param name="MetricsEnabled">Whether metrics are on.</param>
/// <param name="DataTraceEnabled">Whether execution logs (at INFO) carry the full request and response data: parameters, headers, bodies.</param>
public sealed record MethodSetting(string ResourcePath, string HttpMethod, double? ThrottlingRateLimit, int? ThrottlingBurstLimit, string LoggingLevel = "OFF", bool MetricsEnabled = false, bool DataTraceEnabled = false)
{
    /// <summary>Whether <see cref="LoggingLevel"/> writes execution logs: <c>ERROR</c> or <c>INFO</c>, in any case, as API Gateway reads it.</summary>
    public bool WritesExecutionLogs =>
        string.Equals(LoggingLevel, "ERROR", StringComparison.OrdinalIgnoreCase) || string.Equals(LoggingLevel, "INFO", StringComparison.OrdinalIgnoreCase);
}
