using System.Text.Json.Serialization;

namespace Cloister.Functions.Ssm;

/// <summary>
/// A command on one instance: <c>Pending</c> until its agent fetches it, <c>InProgress</c> while it runs, then
/// <c>Success</c>, <c>Failed</c> or <c>TimedOut</c> with the script's exit code and output as the agent reported them;
/// CancelCommand makes a pending one <c>Cancelled</c> and a running one <c>Cancelling</c> until its agent, handed the
/// cancellation (<see cref="CancelDelivered"/>), kills the script and replies <c>Cancelled</c>. A pending one its command
/// no longer sends, its errors past <c>MaxErrors</c>, is <c>Cancelled</c> with <c>StatusDetails</c>
/// <c>Terminated</c> (<see cref="RateControls"/>). Replaced whole
/// (records) so readers see one consistent state.
/// </summary>
internal sealed record CommandInvocation(
    string CommandId,
    string InstanceId,
    string Status,
    string StatusDetails,
    int ResponseCode,
    string StandardOutput,
    string StandardError,
    long? StartMilliseconds,
    long? EndMilliseconds,
    bool CancelDelivered = false)
{
    /// <summary>Whether the invocation has ended (the agent replied), whatever its outcome.</summary>
    [JsonIgnore]
    public bool IsDone => Status is "Success" or "Failed" or "TimedOut" or "Cancelled";
}
