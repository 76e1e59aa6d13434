using System.Collections.Immutable;
using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Model.Data;
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
    // The last deployment's resource of each replaced table, by the name of the table that replaces it.
    private readonly Dictionary<string, StackResource> _replacements = new(StringComparer.Ordinal);
    private int _stacksKeptIds;
    // Tables a failed deploy created and left (--disable-rollback, or a rollback that failed), by stack and logical id.
    private readonly Dictionary<(string Stack, string LogicalId), (StackResource Resource, Table Table)> _tablesOfFailedDeploys = [];

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

        if (record.For(loaded.Model.Account) is not { } same)
        {
            // Stacks of another account or region are other stacks, as on AWS; this region's last ones, if any, are kept.
            var here = loaded.Model.Account.AccountId == record.Model.Account.AccountId ? loaded.Model.Account.Region : $"account {loaded.Model.Account.AccountId}, region {loaded.Model.Account.Region}";
            Report("templates", "warning", $"the last deployment ran in account {record.Model.Account.AccountId}, region {record.Model.Account.Region}: its physical ids are not reused in {here}");
            return loaded;
        }

        record = same;

        // A replacement a failed deploy left stands in for the table it replaced while the template still replaces that one.
        var standing = record.Replacements
            .Select(r => (Replacement: r, Old: record.Stacks.FirstOrDefault(s => s.StackName == r.StackName)?.Resources.FirstOrDefault(o => o.LogicalResourceId == r.Resource.LogicalResourceId && o.ResourceType == TableType)))
            .Where(p => p.Old is not null && StillReplaces(p.Replacement.StackName, p.Old, record.Model, loaded))
            .Select(p => (p.Replacement, Old: p.Old!))
            .ToList();
        var (recordStacks, recordTables) = WithStandingReplacements(
            record.Stacks, record.Model.Tables, standing.ToDictionary(p => p.Old.PhysicalResourceId, p => (p.Replacement.Resource, p.Replacement.Table), StringComparer.Ordinal));
        var recordModel = record.Model with { Tables = [.. recordTables] };

        ImmutableArray<StackSummary> previous = [.. recordStacks, .. record.EarlierStacks];
        // The tables the stacks held, the replaced ones among them (the cleanup deletes those as the record holds them).
        _previousTables = record.Model with { Tables = [.. record.Model.Tables, .. record.EarlierTables, .. standing.Select(s => s.Replacement.Table)] };
        var generated = StackChanges.WithoutReplacedTables(IdAlignment.GeneratedTokens(loaded, request.Load(_startedAt)), previous, _previousTables, loaded.Stacks, loaded.Model);

        // Model records are paired by logical id alone, which only the same stacks make safe: with other stacks (some new,
        // some left out) the stacks' resources alone are paired, by stack name.
        var sameStacks = record.Stacks.Select(s => s.StackName).Order(StringComparer.Ordinal).SequenceEqual(loaded.Stacks.Select(s => s.StackName).Order(StringComparer.Ordinal));
        var (model, stacks) = IdAlignment.Align(sameStacks ? recordModel : new CloudModel { Account = record.Model.Account }, previous, loaded.Model, loaded.Stacks, generated);
        _replacedTables = [.. ReplacedTables(previous, stacks, model), .. ReplacedByFailedDeploys(standing.Select(s => (s.Replacement.StackName, s.Old)), stacks)];
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
                _replacements[resource.PhysicalResourceId] = old;
            }
        }

        return replaced;
    }

    /// <summary>
    /// The recorded tables that replacements left by a failed deploy stand in for (<see cref="DeploymentRecord.Replacements"/>),
    /// each going as the <c>UpdateReplacePolicy</c> of its resource in <paramref name="stacks"/> says, as the cleanup the
    /// failed deploy did not run would have done.
    /// </summary>
    private List<(StackResource Resource, string Policy)> ReplacedByFailedDeploys(IEnumerable<(string StackName, StackResource Old)> replaced, ImmutableArray<StackSummary> stacks)
    {
        var removed = new List<(StackResource, string)>();
        foreach (var (stackName, old) in replaced)
        {
            if (stacks.FirstOrDefault(s => s.StackName == stackName)?.Resources.FirstOrDefault(r => r.LogicalResourceId == old.LogicalResourceId) is not { } resource)
            {
                continue;
            }

            Report("tables", "warning", $"{resource.LogicalResourceId} ({stackName}) is {resource.PhysicalResourceId}, the replacement a failed deploy left; {old.PhysicalResourceId}, which it replaced, goes as its UpdateReplacePolicy {resource.UpdateReplacePolicy ?? "Delete"} says");
            removed.Add((old with { DeletionPolicy = resource.UpdateReplacePolicy }, "UpdateReplacePolicy"));
        }

        return removed;
    }

    /// <summary>
    /// The tables phase of <c>up</c>: creates the stacks' tables, records the deployment, then deletes the tables they
    /// replaced, so that an <c>up</c> failing later (a function that cannot start, Ctrl-C, even during that cleanup) leaves
    /// a record naming every table it created and the next <c>up</c> serves them under the same names. When creating fails (a table the service
    /// refuses), the tables it did create are recorded too, but a replacement it created is deleted (empty: nothing
    /// was served yet) and the replaced table recorded and kept with its items, as CloudFormation's rollback of a
    /// replacement keeps the old resource.
    /// </summary>
    private async Task ProvisionRecordedTablesAsync(CancellationToken cancellationToken)
    {
        var created = new List<Table>();
        try
        {
            await ProvisionTablesAsync(_model.Account, provisioner => provisioner.EnsureAsync(_model.Tables, created, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is StackDeployException or OperationCanceledException)
        {
            await RecordWithoutReplacementsAsync(created).ConfigureAwait(false);
            throw;
        }

        // Recorded before the cleanup: an up cancelled while it deletes the replaced tables still leaves the record of
        // the replacements (their items served from now on), not the last run's, which would replace them again.
        RecordDeployment("tables", _model, _loaded!.Stacks);
        await RemoveReplacedTablesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the deployment with the last one's tables in place of their replacements, deleting the replacements
    /// <paramref name="created"/> holds; a deletion that fails is a warning (the replacement stays, unrecorded).
    /// </summary>
    private async Task RecordWithoutReplacementsAsync(List<Table> created)
    {
        var replacements = created.Where(t => _replacements.ContainsKey(t.TableName)).ToList();
        if (await UpdateRun.TryAsync("tables", ct => DeleteTablesAsync(_model.Account, replacements, ct), CancellationToken.None).ConfigureAwait(false) is { } failure)
        {
            foreach (var problem in failure.Problems)
            {
                Report("tables", "warning", $"the replacement table is kept: {problem}");
            }
        }

        var stacks = _loaded!.Stacks
            .Select(s => s with { Resources = [.. s.Resources.Select(r => r.ResourceType == TableType && _replacements.TryGetValue(r.PhysicalResourceId, out var old) ? old : r)] })
            .ToImmutableArray();
        var tables = _model.Tables.Select(t => _replacements.TryGetValue(t.TableName, out var old)
            && _previousTables.Tables.FirstOrDefault(p => p.TableName == old.PhysicalResourceId) is { } previous ? previous : t);
        RecordDeployment("tables", _model with { Tables = [.. tables] }, stacks);
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
    private void RecordDeployment(string phase) => RecordDeployment(phase, _model, _loaded!.Stacks);

    /// <summary>Records <paramref name="model"/> and <paramref name="stacks"/> as the state folder's last deployment.</summary>
    private void RecordDeployment(string phase, CloudModel model, ImmutableArray<StackSummary> stacks)
    {
        var record = DeploymentRecord.Of(model, stacks, _previousRun) with
        {
            // The replacements failed deploys left, for the next up; none once a deploy succeeds (it clears them) or an up ran.
            Replacements = [.. _tablesOfFailedDeploys
                .Where(t => _loaded!.Stacks.Any(s => s.StackName == t.Key.Stack && s.Resources.Any(r => r.LogicalResourceId == t.Key.LogicalId)))
                .Select(t => new TableReplacement(t.Key.Stack, t.Value.Resource, t.Value.Table))],
        };
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

    /// <summary>
    /// Keeps the tables of <paramref name="created"/> that a failed deploy left (its stack <c>UPDATE_FAILED</c> under
    /// <c>--disable-rollback</c>, or <c>UPDATE_ROLLBACK_FAILED</c>, whose cleanup did not run) with their resources in
    /// <paramref name="stacks"/>: a table new to its stack, and the new table of a replacement (the running stack holds
    /// its logical id under the old name). The next <c>deploy</c> pairs them and the state folder's record holds them, so
    /// neither a <c>deploy</c> nor an <c>up</c> draws such a new table another generated name and leaves it behind, as a
    /// stack left <c>UPDATE_FAILED</c> on AWS keeps the resources its update provisioned. A replacement is the next
    /// <c>deploy</c>'s when its template still replaces the table (<see cref="WithTablesOfFailedDeploys"/>), which then
    /// deletes the table it replaced in its cleanup, as the <c>UpdateReplacePolicy</c> says; the record holds the running
    /// table with the replacement beside it (<see cref="DeploymentRecord.Replacements"/>), which an <c>up</c> takes the
    /// same way (<see cref="WithPreviousIds"/>).
    /// </summary>
    private void KeepTablesOfFailedDeploy(List<Table> created, ImmutableArray<StackSummary> stacks)
    {
        var kept = 0;
        foreach (var table in created)
        {
            if (stacks.Select(s => (s.StackName, Resource: s.Resources.FirstOrDefault(r => r.ResourceType == TableType && r.PhysicalResourceId == table.TableName)))
                    .FirstOrDefault(p => p.Resource is not null) is not ({ } stack, { } resource)
                || !_stackStatus.TryGetValue(stack, out var status) || status is not ("UPDATE_FAILED" or "UPDATE_ROLLBACK_FAILED"))
            {
                continue;
            }

            _tablesOfFailedDeploys[(stack, resource.LogicalResourceId)] = (resource, table);
            kept++;
        }

        if (kept > 0)
        {
            var (model, withTables) = WithTablesOfFailedDeploys();
            RecordDeployment("deploy", model, withTables);
        }
    }

    /// <summary>
    /// The running model and stacks with the tables failed deploys left (<see cref="KeepTablesOfFailedDeploy"/>): each new
    /// table added to its stack, and, given the <paramref name="reloaded"/> templates of a deploy, each kept replacement
    /// in place of the running table it replaced when the reloaded template still replaces that table (the deploy then
    /// pairs the template with the replacement, and its cleanup deletes the replaced table); a template back to the
    /// running table's key keeps pairing with the running table.
    /// </summary>
    private (CloudModel Model, ImmutableArray<StackSummary> Stacks) WithTablesOfFailedDeploys(TemplateLoadResult? reloaded = null)
    {
        if (_tablesOfFailedDeploys.Count == 0)
        {
            return (_model, _loaded!.Stacks);
        }

        // The replacements that stand in for the running table they replaced, by that table's name; the other replacements
        // are left out, so that no logical id has two tables.
        var standing = new Dictionary<string, (StackResource Resource, Table Table)>(StringComparer.Ordinal);
        var added = new List<(string Stack, StackResource Resource, Table Table)>();
        foreach (var ((stack, logicalId), kept) in _tablesOfFailedDeploys)
        {
            if (_loaded!.Stacks.First(s => s.StackName == stack).Resources.FirstOrDefault(r => r.LogicalResourceId == logicalId) is not { } running)
            {
                added.Add((stack, kept.Resource, kept.Table));
            }
            else if (reloaded is not null && StillReplaces(stack, running, _model, reloaded))
            {
                standing[running.PhysicalResourceId] = kept;
            }
        }

        var (stacks, tables) = WithStandingReplacements(_loaded!.Stacks, _model.Tables, standing);
        return (
            _model with { Tables = [.. tables, .. added.Select(a => a.Table).Where(t => !_model.Tables.Any(m => m.TableName == t.TableName))] },
            [.. stacks.Select(s => s with { Resources = [.. s.Resources, .. added.Where(a => a.Stack == s.StackName).Select(a => a.Resource)] })]);
    }

    /// <summary>
    /// <paramref name="stacks"/> and <paramref name="tables"/> with each table that <paramref name="standing"/> holds (by
    /// its name) replaced by the replacement a failed deploy left, its resource and its table.
    /// </summary>
    private static (IEnumerable<StackSummary> Stacks, IEnumerable<Table> Tables) WithStandingReplacements(
        IEnumerable<StackSummary> stacks, IEnumerable<Table> tables, Dictionary<string, (StackResource Resource, Table Table)> standing) =>
    (
        stacks.Select(s => s with { Resources = [.. s.Resources.Select(r => r.ResourceType == TableType && standing.TryGetValue(r.PhysicalResourceId, out var kept) ? kept.Resource : r)] }),
        tables.Select(t => standing.TryGetValue(t.TableName, out var kept) ? kept.Table : t)
    );

    /// <summary>
    /// Whether <paramref name="reloaded"/>'s table of <paramref name="current"/> (a table of <paramref name="model"/>)
    /// replaces it: another key schema, key type or local indexes.
    /// </summary>
    private static bool StillReplaces(string stackName, StackResource current, CloudModel model, TemplateLoadResult reloaded) =>
        reloaded.Stacks.FirstOrDefault(s => s.StackName == stackName)?.Resources.FirstOrDefault(r => r.LogicalResourceId == current.LogicalResourceId && r.ResourceType == TableType) is { } resource
        && reloaded.Model.Tables.FirstOrDefault(t => t.TableName == resource.PhysicalResourceId) is { } next
        && model.Tables.FirstOrDefault(t => t.TableName == current.PhysicalResourceId) is { } table
        && StackChanges.Replaced(table, next) is not null;
}
