namespace Cloister.Gateway.Templates.Velocity;

/// <summary>A template that does not parse, or fails while rendering. The message is for the log, never for the client.</summary>
internal sealed class VtlException : Exception
{
    public VtlException(string message, int offset = -1)
        : base(offset >= 0 ? $"{message} (at offset {offset})" : message)
    {
        Offset = offset;
    }

    public VtlException()
    {
    }

    public VtlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where in the template source the problem is; -1 when it arose while rendering.</summary>
    public int Offset { get; } = -1;

    /// <summary>Whether the request body was the problem (not JSON where the template needs JSON): a 400, not a 500.</summary>
    public bool IsBadRequestBody { get; init; }
}
