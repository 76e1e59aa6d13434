using System.Buffers;
using System.Text.Json;

namespace Cloister.Lambda.RuntimeClient;

/// <summary>An error as the Runtime API takes it: <c>{"errorType", "errorMessage", "stackTrace"}</c>.</summary>
/// <param name="ErrorType">Such as <c>InvalidOperationException</c>; also sent as <c>Lambda-Runtime-Function-Error-Type</c>.</param>
/// <param name="ErrorMessage">The message.</param>
/// <param name="StackTrace">The stack, one frame per entry.</param>
public sealed record LambdaError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    /// <summary>The error for an exception, named by its type's short name as Lambda's .NET runtime does.</summary>
    public static LambdaError FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var frames = (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LambdaError(exception.GetType().Name, exception.Message, frames);
    }

    /// <summary>Writes the error's JSON body.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("errorType"u8, ErrorType);
        writer.WriteString("errorMessage"u8, ErrorMessage);
        writer.WriteStartArray("stackTrace"u8);
        foreach (var frame in StackTrace)
        {
            writer.WriteStringValue(frame);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
