using System.Collections.Immutable;

namespace Cloister.Functions.Ssm;

/// <summary>
/// One SendCommand of <c>AWS-RunShellScript</c>: what it runs, where (<see cref="InstanceIds"/>: the instances it was
/// sent to, those its <see cref="Targets"/> matched when it named targets), and when it was asked for. Its status is
/// its invocations' (<see cref="CommandInvocation"/>). <see cref="MaxConcurrency"/> and <see cref="MaxErrors"/> are
/// applied when its invocations are handed to the agents (<see cref="RateControls"/>); <see cref="CloudWatchLogGroupName"/>
/// is kept as given and answered, not applied (docs/ssm.md); null in a command written before they were kept reads as
/// AWS's defaults.
/// </summary>
internal sealed record RunCommand(
    string CommandId,
    string DocumentName,
    string? Comment,
    ImmutableArray<string> Commands,
    string? WorkingDirectory,
    int ExecutionTimeoutSeconds,
    int DeliveryTimeoutSeconds,
    ImmutableArray<string> InstanceIds,
    long RequestedMilliseconds,
    IReadOnlyList<CommandTarget>? Targets = null,
    string? MaxConcurrency = null,
    string? MaxErrors = null,
    bool CloudWatchOutputEnabled = false,
    string? CloudWatchLogGroupName = null);
