using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Model;
using Cloister.Model.Data;
using Cloister.Network.Runtime;
using Cloister.Shared.Files;
using Cloister.Templates;

namespace Cloister.Host.Update;

/// <summary>
/// The last deployment a state folder ran, kept across <c>down</c> so the next <c>up</c> gives the stacks the physical ids
/// they had (<see cref="IdAlignment"/>), as a CloudFormation stack keeps the physical id of every resource it does not
/// replace: the model and stack summaries <see cref="IdAlignment.Align"/> pairs against, written when <c>up</c> is ready
/// and after each successful <c>cloister deploy</c>. The stacks of earlier runs that the last one did not run are carried
/// on with their tables (<see cref="EarlierStacks"/>), so an <c>up</c> with fewer templates does not lose their ids,
/// and so are the last deployments of other regions (<see cref="OtherRegions"/>).
/// </summary>
/// <param name="Format">The shape of this file; a record of another shape (an older Cloister's) is ignored.</param>
/// <param name="Model">The deployment's model, as the stacks ran it.</param>
/// <param name="Stacks">The deployment's stacks with their resources' physical ids and attributes.</param>
/// <param name="EarlierStacks">Stacks of earlier runs that are not among <paramref name="Stacks"/>.</param>
/// <param name="EarlierTables">The tables of <paramref name="EarlierStacks"/>, as their runs held them.</param>
internal sealed record DeploymentRecord(
    int Format,
    CloudModel Model,
    ImmutableArray<StackSummary> Stacks,
    ImmutableArray<StackSummary> EarlierStacks,
    ImmutableArray<Table> EarlierTables)
{
    /// <summary>The shape this Cloister writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>
    /// The last deployments of the other accounts and regions this state folder ran (each without its own), so that an
    /// <c>up</c> in another region does not cost the stacks of the first their ids: back in the first region they are
    /// paired with their own (<see cref="For"/>), as the stacks of each region stay where they are on AWS.
    /// </summary>
    public ImmutableArray<DeploymentRecord> OtherRegions { get; init; } = [];

    /// <summary>
    /// The tables a failed <c>deploy</c> (<c>--disable-rollback</c>, or a rollback that failed) created to replace a
    /// running table and left, each with its resource (the replacement's name) and its stack: the next <c>up</c> pairs the
    /// template with the replacement while the template still replaces the recorded table, and deletes that one, as the
    /// next <c>deploy</c> does (CloudFormation preserves the replacement, and its next update's cleanup deletes the old).
    /// </summary>
    public ImmutableArray<TableReplacement> Replacements { get; init; } = [];

    /// <summary>The record of <paramref name="account"/>'s deployment: this one, one of <see cref="OtherRegions"/>, or null.</summary>
    public DeploymentRecord? For(AccountContext account) =>
        Model.Account == account ? this : OtherRegions.FirstOrDefault(r => r.Model.Account == account);

    /// <summary>The record's file: in the state folder itself, which <c>down</c> leaves (it removes only <c>runtime/</c>'s files).</summary>
    public static string PathOf(StatePaths state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return System.IO.Path.Combine(state.Root, "last-deployment.json");
    }

    /// <summary>
    /// The record of the deployment of <paramref name="model"/> and <paramref name="stacks"/>, carrying on the stacks of
    /// <paramref name="previous"/> (and those it carried) that it does not run, in the same account and region.
    /// </summary>
    public static DeploymentRecord Of(CloudModel model, ImmutableArray<StackSummary> stacks, DeploymentRecord? previous)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = stacks.Select(s => s.StackName).ToHashSet(StringComparer.Ordinal);
        var others = previous is null ? []
            : previous.OtherRegions.Where(r => r.Model.Account != model.Account)
                .Concat(previous.Model.Account == model.Account ? [] : [previous with { OtherRegions = [] }]).ToList();
        var same = previous?.For(model.Account);
        var earlier = same is null ? [] : same.EarlierStacks.Concat(same.Stacks).Where(s => !names.Contains(s.StackName)).ToList();
        var tableNames = earlier.SelectMany(s => s.Resources).Where(r => r.ResourceType == "AWS::DynamoDB::Table").Select(r => r.PhysicalResourceId).ToHashSet(StringComparer.Ordinal);
        var earlierTables = same is null ? [] : same.EarlierTables.Concat(same.Model.Tables).Where(t => tableNames.Contains(t.TableName)).DistinctBy(t => t.TableName);
        return new DeploymentRecord(CurrentFormat, model, stacks, [.. earlier], [.. earlierTables]) { OtherRegions = [.. others] };
    }

    /// <summary>
    /// The state folder's record, or null when there is none or it cannot be used; <paramref name="ignored"/> then says
    /// why (unreadable, not JSON, another Cloister's shape), null when there is simply none.
    /// </summary>
    public static DeploymentRecord? Read(StatePaths state, out string? ignored)
    {
        var path = PathOf(state);
        ignored = null;
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            ignored = $"{path} cannot be read ({exception.Message})";
            return null;
        }

        try
        {
            using (var document = JsonDocument.Parse(text))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("format", out var format)
                    || format.ValueKind != JsonValueKind.Number
                    || !format.TryGetInt32(out var number)
                    || number != CurrentFormat)
                {
                    ignored = $"{path} is not a deployment record of this Cloister (format {CurrentFormat})";
                    return null;
                }
            }

            var record = JsonSerializer.Deserialize<DeploymentRecord>(text, RuntimeState.Json);
            if (record?.Model is null || record.Stacks.IsDefault || record.Stacks.Any(s => s is null || s.Resources.IsDefault))
            {
                ignored = $"{path} lacks its model or stacks";
                return null;
            }

            return record with
            {
                Replacements = record.Replacements.IsDefault ? [] : [.. record.Replacements.Where(r => r?.Resource is not null && r.Table is not null)],
                EarlierStacks = record.EarlierStacks.IsDefault ? [] : [.. record.EarlierStacks.Where(s => s is not null && !s.Resources.IsDefault)],
                EarlierTables = record.EarlierTables.IsDefault ? [] : [.. record.EarlierTables.Where(t => t is not null)],
                OtherRegions = record.OtherRegions.IsDefault ? [] : [.. record.OtherRegions.Where(r => r?.Model is not null && !r.Stacks.IsDefault && r.Stacks.All(s => s is not null && !s.Resources.IsDefault))
                    .Select(r => r with { EarlierStacks = r.EarlierStacks.IsDefault ? [] : r.EarlierStacks, EarlierTables = r.EarlierTables.IsDefault ? [] : r.EarlierTables, Replacements = r.Replacements.IsDefault ? [] : r.Replacements, OtherRegions = [] })],
            };
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            ignored = $"{path} is not valid JSON ({exception.Message})";
            return null;
        }
    }

    /// <summary>
    /// Writes the record atomically: a reader (the next <c>up</c>) sees the old one or the new one, whole. Readable by its
    /// owner alone, as the model holds the templates' parameter values and secrets.
    /// </summary>
    public void Write(StatePaths state)
    {
        AtomicFile.Write(PathOf(state), file => JsonSerializer.Serialize(file, this, RuntimeState.Json), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

/// <summary>A table a failed deployment created to replace the running table of <paramref name="StackName"/>'s resource, and left.</summary>
/// <param name="StackName">The stack whose resource it replaces.</param>
/// <param name="Resource">The resource as the failed deployment held it: the logical id, the replacement's name.</param>
/// <param name="Table">The replacement table.</param>
internal sealed record TableReplacement(string StackName, StackResource Resource, Table Table);
