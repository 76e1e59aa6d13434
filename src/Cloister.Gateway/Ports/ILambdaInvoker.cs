namespace Cloister.Gateway.Ports;

/// <summary>The Lambda invocation port: a synchronous (<c>RequestResponse</c>) invoke. <c>Cloister.Functions</c> plugs in here.</summary>
public interface ILambdaInvoker
{
    /// <summary>Invokes <paramref name="functionArn"/> with <paramref name="payload"/> and waits for its response.</summary>
    /// <param name="functionArn">The function ARN (possibly with a version or alias qualifier), as named in the integration URI.</param>
    /// <param name="payload">The event JSON, valid only until the returned task completes.</param>
    /// <param name="cancellationToken">Cancelled when the integration timeout passes or the client goes away.</param>
    ValueTask<LambdaInvocationResult> InvokeAsync(string functionArn, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
