using System.Collections.Immutable;
using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Templates;

namespace Cloister.Host;

/// <summary>
/// <c>up</c> after <c>down</c>: the stacks get the physical ids the state folder's last deployment gave them
/// (<see cref="DeploymentRecord"/>), as a CloudFormation stack keeps the physical id of every resource it does not replace
/// — the same table names (whose items the state folder kept), function names, API ids and invoke URLs, VPC ids — and a
/// table CloudFormation would replace is replaced as <c>cloister deploy</c> replaces it.
/// </summary>
public sealed partial class StackHost
{
    private DeploymentRecord? _previousRun;
    private CloudModel _previousTables = new();
    private List<(StackResource Resource, string Policy)> _replacedTables = [];
    private int _stacksKeptIds;

    /// <summary>
    /// <paramref name="loaded"/> with the physical ids of the state folder's last deployment, paired as
    /// <c>cloister deploy</c> pairs the running stacks (<see cref="IdAlignment"/>): stacks by name, resources by logical id
    /// and type. A stack the record does not hold, or a resource new to its stack, keeps the ids it drew; so does a table
    /// without a <c>TableName</c> whose key schema, key types or local indexes changed (<see cref="StackChanges.WithoutReplacedTables"/>),
    /// which is replaced. A record that cannot be read, or of another account or region, is ignored with a warning.
    /// </summary>
    private TemplateLoadResult WithPreviousIds(DeployRequest request, TemplateLoadResult loaded)
    {
        var record = DeploymentRecord.Read(_state, out var ignored);
        if (ignored is not null)
        {
            Report("templates", "warning", $"the last deployment's record is ignored: {ignored}; every generated physical id is drawn afresh");
        }

        _previousRun = record;
        if (record is null)
        {
            return loaded;
        }

        if (record.Model.Account != loaded.Model.Account)
        {
            // Stacks of another account or region are other stacks, as on AWS.
            Report("templates", "warning", $"the last deployment ran in account {record.Model.Account.AccountId}, region {record.Model.Account.Region}: its physical ids are not reused in {loaded.Model.Account.Region}");
            return loaded;
        }

        ImmutableArray<StackSummary> previous = [.. record.Stacks, .. record.EarlierStacks];
        _previousTables = record.Model with { Tables = [.. record.Model.Tables, .. record.EarlierTables] };
        var generated = StackChanges.WithoutReplacedTables(IdAlignment.GeneratedTokens(loaded, request.Load(_startedAt)), previous, _previousTables, loaded.Stacks, loaded.Model);

        // Model records are paired by logical id alone, which only the same stacks make safe: with other stacks (some new,
        // some left out) the stacks' resources alone are paired, by stack name.
        var sameStacks = record.Stacks.Select(s => s.StackName).Order(StringComparer.Ordinal).SequenceEqual(loaded.Stacks.Select(s => s.StackName).Order(StringComparer.Ordinal));
        var (model, stacks) = IdAlignment.Align(sameStacks ? record.Model : new CloudModel { Account = record.Model.Account }, previous, loaded.Model, loaded.Stacks, generated);
        _replacedTables = ReplacedTables(previous, stacks, model);
        _stacksKeptIds = stacks.Count(s => previous.Any(p => p.StackName == s.StackName));
        return loaded with { Model = model, Stacks = stacks };
    }

    /// <summary>
    /// The tables of the last deployment that <paramref name="stacks"/> replace, as CloudFormation replaces them: the same
    /// logical id under another name, because the template gives or takes away a <c>TableName</c>, or because a table
    /// without one has another key schema, key type or local indexes. Each is paired with the new template's
    /// <c>UpdateReplacePolicy</c>, which decides whether it goes. A table that has another name for no such reason (its
    /// generated name could not be paired) is kept, and said so.
    /// </summary>
    private List<(StackResource Resource, string Policy)> ReplacedTables(ImmutableArray<StackSummary> previous, ImmutableArray<StackSummary> stacks, CloudModel model)
    {
        var replaced = new List<(StackResource, string)>();
        foreach (var stack in stacks)
        {
            var before = previous.FirstOrDefault(s => s.StackName == stack.StackName)?.Resources ?? [];
            foreach (var resource in stack.Resources.Where(r => r.ResourceType == TableType))
            {
                if (before.FirstOrDefault(r => r.LogicalResourceId == resource.LogicalResourceId && r.ResourceType == TableType) is not { } old
                    || old.PhysicalResourceId == resource.PhysicalResourceId)
                {
                    continue;
                }

                var reason = StackChanges.CustomNamed(resource) || StackChanges.CustomNamed(old) ? "its TableName changes"
                    : _previousTables.Tables.FirstOrDefault(t => t.TableName == old.PhysicalResourceId) is { } oldTable
                        && model.Tables.FirstOrDefault(t => t.TableName == resource.PhysicalResourceId) is { } next
                        ? StackChanges.Replaced(oldTable, next)
                    : null;
                if (reason is null)
                {
                    Report("tables", "warning", $"{resource.LogicalResourceId} ({stack.StackName}) has the name {resource.PhysicalResourceId}, not its last name {old.PhysicalResourceId}; the table {old.PhysicalResourceId} is kept with its items");
                    continue;
                }

                var policy = resource.UpdateReplacePolicy ?? "Delete";
                Report("tables", "warning", $"{resource.LogicalResourceId} ({stack.StackName}): {reason}, which replaces the table: {resource.PhysicalResourceId} is created, and {old.PhysicalResourceId} goes as its UpdateReplacePolicy {policy} says");
                replaced.Add((old with { DeletionPolicy = resource.UpdateReplacePolicy }, "UpdateReplacePolicy"));
            }
        }

        return replaced;
    }

    /// <summary>
    /// Deletes (or keeps, under <c>Retain</c>) the tables the stacks replaced, once their replacements exist, as
    /// CloudFormation's cleanup does; a table that cannot be deleted (deletion protection) is kept and said so: a cleanup
    /// that fails does not fail the stack.
    /// </summary>
    private async Task RemoveReplacedTablesAsync(CancellationToken cancellationToken)
    {
        if (_replacedTables.Count == 0)
        {
            return;
        }

        try
        {
            await RemoveTablesAsync(_previousTables, _model, _replacedTables, e => Report("tables", "warning", e.Message), cancellationToken).ConfigureAwait(false);
        }
        catch (StackDeployException exception)
        {
            foreach (var problem in exception.Problems)
            {
                Report("tables", "warning", $"the replaced table is kept: {problem}");
            }
        }
    }

    /// <summary>
    /// Records the running deployment in the state folder (<see cref="DeploymentRecord"/>) for the next <c>up</c>; one that
    /// cannot be written is said in <paramref name="phase"/> and costs only the next <c>up</c> its ids.
    /// </summary>
    private void RecordDeployment(string phase)
    {
        var record = DeploymentRecord.Of(_model, _loaded!.Stacks, _previousRun);
        try
        {
            record.Write(_state);
            _previousRun = record;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Report(phase, "warning", $"the deployment's record {DeploymentRecord.PathOf(_state)} could not be written ({exception.Message}); the next up draws every generated physical id afresh");
        }
    }
}
