namespace Cloister.Lambda.RuntimeClient;

/// <summary>The Runtime API refused a request, such as 413 for a response over 6 MB or 400 for an unknown request id.</summary>
public sealed class RuntimeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuntimeApiException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>Creates the exception.</summary>
    public RuntimeApiException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RuntimeApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RuntimeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the Runtime API answered.</summary>
    public int StatusCode { get; }
}
