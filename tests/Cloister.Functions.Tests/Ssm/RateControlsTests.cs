using Cloister.Functions.Ssm;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// Run Command's rate controls as pure functions of a command's invocations: how <c>MaxConcurrency</c> and
/// <c>MaxErrors</c> resolve against the target count, which pending invocations may be sent, what counts as an error,
/// and the command's status that follows.
/// </summary>
public sealed class RateControlsTests
{
    [Theory]
    [InlineData(null, 3, 50)]
    [InlineData("1", 3, 1)]
    [InlineData("50%", 3, 2)]
    [InlineData("10%", 3, 1)]
    [InlineData("10%", 50, 5)]
    [InlineData("100%", 7, 7)]
    [InlineData("1%", 0, 1)]
    public void Concurrency_NumberOrPercentageOfTargets_RoundedUpAndAtLeastOne(string? value, int targets, int expected) =>
        Assert.Equal(expected, RateControls.Concurrency(value, targets));

    [Theory]
    [InlineData(null, 3, 0)]
    [InlineData("0", 3, 0)]
    [InlineData("2", 3, 2)]
    [InlineData("50%", 3, 1)]
    [InlineData("10%", 50, 5)]
    [InlineData("9%", 10, 0)]
    [InlineData("100%", 4, 4)]
    public void AllowedErrors_NumberOrPercentageOfTargets_RoundedDown(string? value, int targets, int expected) =>
        Assert.Equal(expected, RateControls.AllowedErrors(value, targets));

    [Theory]
    [InlineData("Failed", "Failed", true)]
    [InlineData("TimedOut", "ExecutionTimedOut", true)]
    [InlineData("TimedOut", "DeliveryTimedOut", false)]
    [InlineData("Failed", "Undeliverable", false)]
    [InlineData("Cancelled", "Terminated", false)]
    [InlineData("Cancelled", "Cancelled", false)]
    [InlineData("Success", "Success", false)]
    public void IsError_EachEndedStatus_FailedAndExecutionTimeOutOnly(string status, string details, bool expected) =>
        Assert.Equal(expected, RateControls.IsError(Invocation("i-1", status, details)));

    [Fact]
    public void Sendable_OneRunningOfConcurrencyTwo_TheFirstPendingInInstanceOrderOnly()
    {
        var invocations = new[] { Invocation("i-1", "Success"), Invocation("i-2", "InProgress"), Invocation("i-3", "Pending"), Invocation("i-4", "Pending") };

        Assert.Equal(["i-3"], RateControls.Sendable(invocations, concurrency: 2, allowedErrors: 0));
    }

    [Fact]
    public void Sendable_BeingCancelledHoldsItsPlace_NothingSentPastTheConcurrency()
    {
        var invocations = new[] { Invocation("i-1", "Cancelling"), Invocation("i-2", "Pending") };

        Assert.Empty(RateControls.Sendable(invocations, concurrency: 1, allowedErrors: 0));
    }

    [Fact]
    public void Sendable_ErrorsPastMaxErrors_NothingSentEvenWithRoom()
    {
        var invocations = new[] { Invocation("i-1", "Failed"), Invocation("i-2", "TimedOut", "ExecutionTimedOut"), Invocation("i-3", "Pending") };

        Assert.Empty(RateControls.Sendable(invocations, concurrency: 50, allowedErrors: 1));
        Assert.Equal(["i-3"], RateControls.Sendable(invocations, concurrency: 50, allowedErrors: 2));
    }

    [Fact]
    public void Terminated_APendingInvocation_CancelledWithStatusDetailsTerminatedAndEnded()
    {
        var ended = RateControls.Terminated(Invocation("i-1", "Pending"), 1_234);

        Assert.Equal(("Cancelled", "Terminated", 1_234L, (long?)null), (ended.Status, ended.StatusDetails, ended.EndMilliseconds, ended.StartMilliseconds));
        Assert.True(ended.IsDone);
    }

    [Theory]
    [InlineData(0, "Failed,Success", "Failed", "Failed")]
    [InlineData(1, "Failed,Success", "Success", "Incomplete")]
    [InlineData(1, "Failed,ExecutionTimedOut", "TimedOut", "TimedOut")]
    [InlineData(1, "ExecutionTimedOut,Success", "Success", "Incomplete")]
    [InlineData(0, "Failed,Terminated,Terminated", "Failed", "Failed")]
    [InlineData(0, "Success,Cancelled", "Cancelled", "Cancelled")]
    [InlineData(0, "Success,DeliveryTimedOut", "TimedOut", "TimedOut")]
    [InlineData(0, "Success,Success", "Success", "Success")]
    [InlineData(0, "Failed,InProgress,Pending", "InProgress", "InProgress")]
    public void StatusOf_EndedInvocationsAndMaxErrors_AwsCommandStatus(int allowedErrors, string invocations, string status, string details)
    {
        var all = invocations.Split(',').Select((d, n) => Invocation($"i-{n}", d switch
        {
            "ExecutionTimedOut" or "DeliveryTimedOut" => "TimedOut",
            "Terminated" => "Cancelled",
            _ => d,
        }, d)).ToList();

        Assert.Equal((status, details), CommandStore.StatusOf(all, allowedErrors));
    }

    private static CommandInvocation Invocation(string instanceId, string status, string? details = null) =>
        new("c", instanceId, status, details ?? status, -1, string.Empty, string.Empty, null, null);
}
