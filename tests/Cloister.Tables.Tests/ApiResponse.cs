using System.Net;
using System.Text.Json;

namespace Cloister.Tables.Tests;

/// <summary>A response of <see cref="TablesApi"/>: its status and JSON body, with an error's type and message read out.</summary>
internal readonly record struct ApiResponse(HttpStatusCode Status, JsonElement Body)
{
    /// <summary>The error type after the <c>#</c> (what SDKs key on), or null for a success.</summary>
    public string? ErrorType => Body.TryGetProperty("__type", out var type) ? type.GetString()![(type.GetString()!.IndexOf('#', StringComparison.Ordinal) + 1)..] : null;

    /// <summary>The error message, spelled <c>message</c> or <c>Message</c> as DynamoDB does for the error.</summary>
    public string? Message => Body.TryGetProperty("message", out var message) || Body.TryGetProperty(nameof(Message), out message) ? message.GetString() : null;

    public override string ToString() => $"{(int)Status} {Body}";
}
