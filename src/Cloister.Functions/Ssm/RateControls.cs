using System.Globalization;

namespace Cloister.Functions.Ssm;

/// <summary>
/// Run Command's rate controls, as the User Guide's "Using concurrency controls" and "Using error controls" describe
/// them: <c>MaxConcurrency</c> is how many instances run the command at once (the next one is sent as one finishes),
/// <c>MaxErrors</c> how many invocations may fail before the command stops being sent to more instances. Each is a
/// number or a percentage of the command's targets. Pure functions of a command's invocations (in its instance
/// order), so the store's scheduling reads as the rules (docs/ssm.md, "Rate controls").
/// </summary>
internal static class RateControls
{
    /// <summary>SendCommand's <c>MaxConcurrency</c> when the call names none, as AWS answers it.</summary>
    public const string DefaultMaxConcurrency = "50";

    /// <summary>SendCommand's <c>MaxErrors</c> when the call names none: the first error stops the command.</summary>
    public const string DefaultMaxErrors = "0";

    /// <summary>
    /// How many of <paramref name="targetCount"/> instances may run at once: the number, or the percentage rounded up
    /// (never less than 1, so a percentage of a small fleet still runs).
    /// </summary>
    public static int Concurrency(string? maxConcurrency, int targetCount) =>
        Math.Max(1, Resolve(maxConcurrency ?? DefaultMaxConcurrency, targetCount, roundUp: true));

    /// <summary>
    /// How many errors are allowed before the command stops: the number, or the percentage of
    /// <paramref name="targetCount"/> rounded down (AWS's example: 10% of 50 stops at the sixth error).
    /// </summary>
    public static int AllowedErrors(string? maxErrors, int targetCount) =>
        Resolve(maxErrors ?? DefaultMaxErrors, targetCount, roundUp: false);

    /// <summary>
    /// Whether an invocation counts against <c>MaxErrors</c> (and in <c>ErrorCount</c>): <c>Failed</c> and
    /// <c>ExecutionTimedOut</c>; not <c>DeliveryTimedOut</c> nor <c>Undeliverable</c>, as the API reference says.
    /// </summary>
    public static bool IsError(CommandInvocation invocation) =>
        invocation is { Status: "Failed", StatusDetails: not "Undeliverable" } or { StatusDetails: "ExecutionTimedOut" };

    /// <summary>Whether the command's errors exceed what <c>MaxErrors</c> allows: it is sent to no more instances.</summary>
    public static bool Exceeded(IEnumerable<CommandInvocation> invocations, int allowedErrors) =>
        invocations.Count(IsError) > allowedErrors;

    /// <summary>
    /// The instances whose pending invocation may be handed to their agent now: while the errors are within
    /// <paramref name="allowedErrors"/>, the first pending ones in the command's instance order, as many as
    /// <paramref name="concurrency"/> leaves room for beside those running (or being cancelled).
    /// </summary>
    public static IEnumerable<string> Sendable(IReadOnlyList<CommandInvocation> invocations, int concurrency, int allowedErrors)
    {
        if (Exceeded(invocations, allowedErrors))
        {
            return [];
        }

        var running = invocations.Count(i => i.Status is "InProgress" or "Cancelling");
        return invocations.Where(i => i.Status == "Pending").Take(Math.Max(0, concurrency - running)).Select(i => i.InstanceId);
    }

    /// <summary>
    /// A pending invocation the command will no longer send, its errors having exceeded <c>MaxErrors</c>: ended
    /// <c>Cancelled</c> with <c>StatusDetails</c> <c>Terminated</c> ("the parent command exceeded its MaxErrors limit
    /// and subsequent command invocations were canceled by the system").
    /// </summary>
    public static CommandInvocation Terminated(CommandInvocation pending, long nowMilliseconds) =>
        pending with { Status = "Cancelled", StatusDetails = "Terminated", EndMilliseconds = nowMilliseconds };

    /// <summary>A value SendCommand's patterns admitted: digits, or 0 to 100 digits followed by <c>%</c>.</summary>
    private static int Resolve(string value, int targetCount, bool roundUp)
    {
        if (!value.EndsWith('%'))
        {
            return int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        var share = (long)int.Parse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture) * targetCount;
        return (int)(roundUp ? (share + 99) / 100 : share / 100);
    }
}
