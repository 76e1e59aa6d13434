namespace Cloister.Lambda.RuntimeClient.Http;

/// <summary>The Runtime API answered something that is not valid HTTP/1.1, or more than the limits allow.</summary>
internal sealed class RuntimeApiProtocolException(string message) : IOException(message);
