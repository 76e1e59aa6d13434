using System.Text;

namespace Cloister.Functions.RuntimeApi;

/// <summary>
/// Where one runtime stands in Lambda's Runtime API state machine (<c>lambda/core/states.go</c> in
/// aws-lambda-runtime-interface-emulator, the states by Lambda's names): it may post a response or an error only for an
/// invocation it took and has not answered. The request id is checked first, against the invocation the runtime took
/// last (400 <c>InvalidRequestID</c> for any other, before it took one too), and a refused id moves nothing, as Lambda's
/// router validates it before the state moves (<c>rapi/router.go</c>, <c>middleware.AwsRequestIDValidator</c>); then a
/// post from any state but <see cref="Ready"/> is refused with 403 <c>InvalidStateTransition</c>, naming the state.
/// </summary>
internal sealed class RuntimeState
{
    public const string Started = "Started";
    public const string InitError = "InitError";
    public const string Ready = "Ready";
    public const string InvocationResponse = "InvocationResponse";
    public const string InvocationErrorResponse = "InvocationErrorResponse";
    public const string ResponseSent = "RuntimeResponseSentState";

    private readonly Lock _lock = new();
    private string _state = Started;
    private string? _taken;

    /// <summary>The runtime took invocation <paramref name="requestId"/> (its <c>/next</c> is being answered with it).</summary>
    public void InvocationTaken(string requestId)
    {
        lock (_lock)
        {
            _state = Ready;
            _taken = requestId;
        }
    }

    /// <summary>
    /// For a post to invocation <paramref name="requestId"/>: moves to <see cref="InvocationResponse"/> or
    /// <see cref="InvocationErrorResponse"/>, allowed for the invocation taken last and from <see cref="Ready"/> only;
    /// otherwise nothing moves and the refusal is returned (400 for another id, 403 for the state).
    /// </summary>
    public (int Status, ReadOnlyMemory<byte> Body)? TryBeginResponse(string requestId, bool isError)
    {
        var to = isError ? InvocationErrorResponse : InvocationResponse;
        string from;
        lock (_lock)
        {
            if (requestId != _taken)
            {
                return (400, RuntimeApiResponses.InvalidRequestId);
            }

            if (_state == Ready)
            {
                _state = to;
                return null;
            }

            from = _state;
        }

        return (403, Refused(from, to));
    }

    /// <summary>
    /// Moves to <see cref="InitError"/> for a <c>/runtime/init/error</c> posted while <paramref name="initUnderWay"/>,
    /// allowed from <see cref="Started"/> only; otherwise (an init error already posted, or the init phase over: Cloister
    /// ends it at the first <c>/next</c>) nothing moves and the 403 body that refuses the post is returned, naming the
    /// state the runtime is in, as Lambda's runtime manager words it.
    /// </summary>
    public byte[]? TryInitError(bool initUnderWay)
    {
        string from;
        lock (_lock)
        {
            if (_state == Started && initUnderWay)
            {
                _state = InitError;
                return null;
            }

            from = _state;
        }

        return Refused(from, InitError);
    }

    private static byte[] Refused(string from, string to) => Encoding.UTF8.GetBytes(
        $$"""{"errorMessage":"State transition from {{from}} to {{to}} failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}""");

    /// <summary>The response or error was taken (or refused as too large, which answers the invocation too).</summary>
    public void ResponseAccepted()
    {
        lock (_lock)
        {
            if (_state is InvocationResponse or InvocationErrorResponse)
            {
                _state = ResponseSent;
            }
        }
    }
}
