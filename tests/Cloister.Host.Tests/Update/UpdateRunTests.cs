using Cloister.Host.Control;
using Cloister.Host.Update;

namespace Cloister.Host.Tests.Update;

/// <summary>
/// A deployment's steps run with CloudFormation's events (<see cref="UpdateRun"/>), with steps that record what they
/// apply and undo: the rollback's order and events, a rollback that fails, a step that fails part-way, and
/// <c>--disable-rollback</c>. The real services are exercised by <c>HostRunnerDeployRollbackTests</c>.
/// </summary>
public sealed class UpdateRunTests
{
    private readonly List<DeployEvent> _events = [];
    private readonly List<string> _calls = [];
    private readonly Dictionary<string, string> _stackStatus = new(StringComparer.Ordinal);

    private static readonly ResourceChange Role = new("web", "Role", "T::Role", ChangeAction.Modify);
    private static readonly ResourceChange Table = new("web", "Table", "T::Table", ChangeAction.Add);
    private static readonly ResourceChange Greeter = new("web", "Greeter", "T::Function", ChangeAction.Modify);
    private static readonly ResourceChange Hog = new("web", "Hog", "T::Function", ChangeAction.Add);
    private static readonly ResourceChange Route = new("web", "Route", "T::Route", ChangeAction.Add);
    private static readonly ResourceChange Old = new("web", "Old", "T::Table", ChangeAction.Remove);

    [Fact]
    public async Task ApplyAsync_ThirdStepFails_StartedStepsUndoneInReverseCreatedDeletedRollbackComplete()
    {
        var run = Run(Role, Table, Greeter, Hog, Route, Old);

        var failure = await run.ApplyAsync(Steps(failApply: "functions"), disableRollback: false, CancellationToken.None);

        Assert.Contains("was rolled back", failure, StringComparison.Ordinal);
        Assert.Equal(["apply iam", "apply tables", "apply functions", "undo functions", "undo tables", "undo iam", "cleanup tables"], _calls);
        Assert.Equal(
            [
                "web UPDATE_IN_PROGRESS web (AWS::CloudFormation::Stack): User Initiated",
                "web UPDATE_IN_PROGRESS Role (T::Role)", "web CREATE_IN_PROGRESS Table (T::Table)", "web UPDATE_IN_PROGRESS Greeter (T::Function)",
                "web CREATE_IN_PROGRESS Hog (T::Function)", "web CREATE_IN_PROGRESS Route (T::Route)",
                "web UPDATE_COMPLETE Role (T::Role)", "web CREATE_COMPLETE Table (T::Table)",
                "web CREATE_FAILED Hog (T::Function): refused",
                "web UPDATE_FAILED Greeter (T::Function): Resource update cancelled",
                "web CREATE_FAILED Route (T::Route): Resource creation cancelled",
                "web UPDATE_ROLLBACK_IN_PROGRESS web (AWS::CloudFormation::Stack): The following resource(s) failed to create: [Hog].",
                "web UPDATE_IN_PROGRESS Greeter (T::Function)", "web UPDATE_COMPLETE Greeter (T::Function)",
                "web UPDATE_IN_PROGRESS Role (T::Role)", "web UPDATE_COMPLETE Role (T::Role)",
                "web UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS web (AWS::CloudFormation::Stack)",
                "web DELETE_IN_PROGRESS Table (T::Table)", "web DELETE_COMPLETE Table (T::Table)",
                "web DELETE_IN_PROGRESS Hog (T::Function)", "web DELETE_COMPLETE Hog (T::Function)",
                "web DELETE_IN_PROGRESS Route (T::Route)", "web DELETE_COMPLETE Route (T::Route)",
                "web UPDATE_ROLLBACK_COMPLETE web (AWS::CloudFormation::Stack)",
            ],
            Lines());
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", _stackStatus["web"]);
    }

    [Fact]
    public async Task ApplyAsync_StepFailsAfterApplyingSomeOfItsResources_ThoseCompleteTheOthersCancelled()
    {
        var run = Run(Greeter, Hog, Route);

        await run.ApplyAsync(Steps(failApply: "functions", functionsApplied: ["Greeter"]), disableRollback: false, CancellationToken.None);

        Assert.Contains("web UPDATE_COMPLETE Greeter (T::Function)", Lines().TakeWhile(l => !l.Contains("ROLLBACK", StringComparison.Ordinal)));
        Assert.Contains("web CREATE_FAILED Hog (T::Function): refused", Lines());
        Assert.Contains("web CREATE_FAILED Route (T::Route): Resource creation cancelled", Lines());
    }

    [Fact]
    public async Task ApplyAsync_StepNeverStarted_ItsModifiedResourceCancelledThenBackWithoutAnUndo()
    {
        var group = new ResourceChange("web", "Group", "T::Route", ChangeAction.Modify);
        var run = Run(Hog, group);

        await run.ApplyAsync(Steps(failApply: "functions"), disableRollback: false, CancellationToken.None);

        Assert.DoesNotContain("undo network", _calls);
        Assert.Equal(
            ["UPDATE_IN_PROGRESS", "UPDATE_FAILED", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"],
            _events.Where(e => e.Message.StartsWith("Group ", StringComparison.Ordinal)).Select(e => e.State));
    }

    [Fact]
    public async Task ApplyAsync_UndoFails_UpdateRollbackFailedNamingTheResourceOtherStepsStillUndoneNoCleanup()
    {
        var run = Run(Role, Table, Greeter, Hog);

        var failure = await run.ApplyAsync(Steps(failApply: "functions", failUndo: "functions"), disableRollback: false, CancellationToken.None);

        Assert.Contains("UPDATE_ROLLBACK_FAILED", failure, StringComparison.Ordinal);
        Assert.Equal(["apply iam", "apply tables", "apply functions", "undo functions", "undo tables", "undo iam"], _calls);
        Assert.Contains("web UPDATE_FAILED Greeter (T::Function): cannot put back", Lines());
        Assert.Equal("web UPDATE_ROLLBACK_FAILED web (AWS::CloudFormation::Stack): The following resource(s) failed to update: [Greeter].", Lines()[^1]);
        Assert.DoesNotContain(Lines(), l => l.Contains("DELETE_", StringComparison.Ordinal));
        Assert.Equal("UPDATE_ROLLBACK_FAILED", _stackStatus["web"]);
    }

    [Fact]
    public async Task ApplyAsync_DisableRollback_NothingUndoneStackUpdateFailed()
    {
        var run = Run(Role, Table, Hog);

        var failure = await run.ApplyAsync(Steps(failApply: "functions"), disableRollback: true, CancellationToken.None);

        Assert.Contains("--disable-rollback", failure, StringComparison.Ordinal);
        Assert.Equal(["apply iam", "apply tables", "apply functions"], _calls);
        Assert.Equal("web UPDATE_FAILED web (AWS::CloudFormation::Stack): The following resource(s) failed to create: [Hog].", Lines()[^1]);
        Assert.Equal("UPDATE_FAILED", _stackStatus["web"]);
    }

    [Fact]
    public async Task ApplyAsync_EveryStepApplies_NullEachResourceCompleteRemovalsLeftToTheCleanup()
    {
        var run = Run(Role, Table, Old);

        var failure = await run.ApplyAsync(Steps(failApply: null), disableRollback: false, CancellationToken.None);

        Assert.Null(failure);
        Assert.Equal(["apply iam", "apply tables", "apply functions", "apply network"], _calls);
        Assert.Contains("web UPDATE_COMPLETE Role (T::Role)", Lines());
        Assert.Contains("web CREATE_COMPLETE Table (T::Table)", Lines());
        Assert.DoesNotContain(Lines(), l => l.Contains("Old", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_ReplacedTableThenAFunctionFails_ReplacementReasonThenTheNewTableDeletedInTheCleanupResourceUpdated()
    {
        var replaced = new ResourceChange("web", "Items", "T::Table", ChangeAction.Modify) { ReplacedPhysicalId = "web-Items-OLD" };
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        var run = new UpdateRun([replaced, Hog], _events.Add, (c, state) => statuses[c.LogicalId] = state, (stack, state) => _stackStatus[stack] = state);

        await run.ApplyAsync(Steps(failApply: "functions"), disableRollback: false, CancellationToken.None);

        Assert.Contains("web UPDATE_IN_PROGRESS Items (T::Table): Requested update requires the creation of a new physical resource; hence creating one.", Lines());
        Assert.Equal(
            ["web UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS web (AWS::CloudFormation::Stack)", "web DELETE_IN_PROGRESS Hog (T::Function)", "web DELETE_COMPLETE Hog (T::Function)",
                "web DELETE_IN_PROGRESS Items (T::Table)", "web DELETE_COMPLETE Items (T::Table)", "web UPDATE_ROLLBACK_COMPLETE web (AWS::CloudFormation::Stack)"],
            Lines().SkipWhile(l => !l.Contains("CLEANUP", StringComparison.Ordinal)));
        Assert.Contains("cleanup tables", _calls);
        Assert.Equal("UPDATE_COMPLETE", statuses["Items"]);
    }

    private UpdateRun Run(params ResourceChange[] changes) =>
        new([.. changes], _events.Add, (_, _) => { }, (stack, state) => _stackStatus[stack] = state);

    private List<string> Lines() => [.. _events.Select(e => $"{e.Phase} {e.State} {e.Message}")];

    /// <summary>iam (roles), tables (with a cleanup), functions, network (routes); <paramref name="failApply"/> and <paramref name="failUndo"/> name a step that throws.</summary>
    private List<UpdateStep> Steps(string? failApply, string? failUndo = null, string[]? functionsApplied = null) =>
    [
        Step("iam", "T::Role", failApply, failUndo),
        Step("tables", "T::Table", failApply, failUndo) with { Cleanup = _ => Record("cleanup tables") },
        Step("functions", "T::Function", failApply, failUndo) with { AppliedIds = functionsApplied ?? [] },
        Step("network", "T::Route", failApply, failUndo),
    ];

    private UpdateStep Step(string phase, string type, string? failApply, string? failUndo) => new(
        phase,
        t => t == type,
        _ => phase == failApply ? Throw("apply " + phase, "Hog: refused") : Record("apply " + phase),
        _ => phase == failUndo ? Throw("undo " + phase, "Greeter: cannot put back") : Record("undo " + phase));

    private Task Record(string call)
    {
        _calls.Add(call);
        return Task.CompletedTask;
    }

    private Task Throw(string call, string problem)
    {
        _calls.Add(call);
        throw new StackDeployException(call.Split(' ')[1], [problem]);
    }
}
