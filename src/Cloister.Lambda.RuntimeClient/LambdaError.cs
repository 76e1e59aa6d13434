using System.Buffers;
using System.Text.Json;

namespace Cloister.Lambda.RuntimeClient;

/// <summary>
/// An error as the Runtime API takes it: <c>{"errorType", "errorMessage", "stackTrace"}</c>, with <c>cause</c> (the
/// inner exception) and <c>causes</c> (an <see cref="AggregateException"/>'s inner exceptions), nested, as Lambda's
/// .NET runtime (Amazon.Lambda.RuntimeSupport) writes them.
/// </summary>
/// <param name="ErrorType">Such as <c>InvalidOperationException</c>; also sent as <c>Lambda-Runtime-Function-Error-Type</c>.</param>
/// <param name="ErrorMessage">The message.</param>
/// <param name="StackTrace">The stack, one frame per entry.</param>
public sealed record LambdaError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    /// <summary>How deep causes are followed; an exception nested deeper is left out.</summary>
    private const int MaxDepth = 16;

    /// <summary>The error this one wraps (<c>cause</c>): the exception's <see cref="Exception.InnerException"/>.</summary>
    public LambdaError? Cause { get; init; }

    /// <summary>The errors this one aggregates (<c>causes</c>): an <see cref="AggregateException"/>'s inner exceptions.</summary>
    public IReadOnlyList<LambdaError> Causes { get; init; } = [];

    /// <summary>The error for an exception, named by its type's short name as Lambda's .NET runtime does.</summary>
    public static LambdaError FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return FromException(exception, 0);
    }

    /// <summary>Writes the error's JSON body.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        Write(writer);
    }

    private static LambdaError FromException(Exception exception, int depth)
    {
        var frames = (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = new LambdaError(exception.GetType().Name, exception.Message, frames);
        if (depth == MaxDepth)
        {
            return error;
        }

        return error with
        {
            Cause = exception.InnerException is { } inner ? FromException(inner, depth + 1) : null,
            Causes = exception is AggregateException aggregate ? [.. aggregate.InnerExceptions.Select(e => FromException(e, depth + 1))] : [],
        };
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("errorType"u8, ErrorType);
        writer.WriteString("errorMessage"u8, ErrorMessage);
        writer.WriteStartArray("stackTrace"u8);
        foreach (var frame in StackTrace)
        {
            writer.WriteStringValue(frame);
        }

        writer.WriteEndArray();
        if (Cause is { } cause)
        {
            writer.WritePropertyName("cause"u8);
            cause.Write(writer);
        }

        if (Causes.Count > 0)
        {
            writer.WriteStartArray("causes"u8);
            foreach (var each in Causes)
            {
                each.Write(writer);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
