using Cloister.Functions;
using Cloister.Gateway.Ports;
using Cloister.Model.Compute;

namespace Cloister.Gateway.Lambda;

/// <summary>
/// The gateway's Lambda port filled by <see cref="LambdaService"/>: AWS_PROXY and AWS integrations
/// invoke real execution environments (an <c>Event</c> invocation is queued by the service's event queue). A function's own failures, its own timeout included, are
/// function errors (API Gateway answers 502); a payload over Lambda's quota is <see cref="LambdaInvocationStatus.RequestTooLarge"/>
/// (API Gateway answers 413); Lambda's other refusals (no such function, throttled) are service errors. The gateway's integration timeout stays the gateway's.
/// </summary>
/// <param name="functions">The Lambda service holding the deployed functions.</param>
public sealed class FunctionsLambdaInvoker(LambdaService functions) : ILambdaInvoker
{
    /// <inheritdoc />
    public async ValueTask<LambdaInvocationResult> InvokeAsync(string functionArn, ReadOnlyMemory<byte> payload, LambdaInvocationType invocationType, string? traceHeader, CancellationToken cancellationToken)
    {
        var type = invocationType == LambdaInvocationType.Event ? InvocationType.Event : InvocationType.RequestResponse;
        // The ARN goes as the URI names it: a qualified one invokes that alias or version.
        var context = traceHeader is null ? InvocationContext.None : new InvocationContext { TraceHeader = traceHeader };
        var result = await functions.InvokeAsync(functionArn, payload, type, context, cancellationToken).ConfigureAwait(false);
        var status = result switch
        {
            { FunctionError: not null } => LambdaInvocationStatus.FunctionError,
            { StatusCode: 200 } => LambdaInvocationStatus.Success,
            { StatusCode: 202 } when type == InvocationType.Event => LambdaInvocationStatus.Accepted,
            { StatusCode: 413 } => LambdaInvocationStatus.RequestTooLarge,
            _ => LambdaInvocationStatus.ServiceError,
        };
        return new LambdaInvocationResult(status, result.Payload) { LambdaStatusCode = result.StatusCode, ErrorType = result.ServiceErrorType };
    }

    /// <summary>
    /// The function's name from <c>arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]</c>;
    /// anything that is not such an ARN is taken as the name itself.
    /// </summary>
    public static string FunctionName(string functionArn) => LambdaFunction.NameOf(functionArn, out _);
}
