namespace Cloister.Lambda.RuntimeClient.Http;

/// <summary>The parts of a Runtime API response head the client uses.</summary>
internal struct ResponseHead
{
    public int StatusCode;
    public long ContentLength;
    public bool Chunked;
    public bool Close;
    public string? RequestId;
    public string? DeadlineMs;
    public string? InvokedFunctionArn;
    public string? TraceId;
    public string? ClientContext;
    public string? CognitoIdentity;
}
