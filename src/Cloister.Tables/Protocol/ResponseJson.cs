using System.Text.Json;

namespace Cloister.Tables.Protocol;

/// <summary>How every response body is written: one set of writer options, so bytes built ahead (cached GetItem responses) equal bytes written per request.</summary>
internal static class ResponseJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
}
