namespace Claims.Functions;

/// <summary>A request the API refuses, with the status and message the caller gets.</summary>
internal sealed class ClaimProblem : Exception
{
    public ClaimProblem(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public ClaimProblem()
    {
    }

    public ClaimProblem(string message)
        : base(message)
    {
    }

    public ClaimProblem(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int StatusCode { get; } = 400;
}
