using Cloister.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Host;

/// <summary>
/// Where the stack's tables live: the store of its account and region, <c>tables/{accountId}/{region}/</c>
/// (<see cref="StatePaths.TablesOf(AccountContext)"/>), as DynamoDB tables are regional — an <c>up</c> in another region
/// of the same state folder serves other tables, even under the same names.
/// </summary>
public sealed partial class StackHost
{
    /// <summary>
    /// The folder of this stack's table store. A state folder from before the stores were regional holds one store for
    /// every region directly in <c>tables/</c>; the first stack to start after the upgrade moves it, whole, into the folder
    /// of the region its tables were most likely made in: the region of the last deployment, when the state folder's
    /// record names exactly one account and region, else this stack's. Said in the tables phase, and in
    /// <c>logs/host.log</c>. A store another process has open (<c>cloister serve dynamodb</c> on <c>tables/</c>) is not
    /// moved: the phase fails, asking for that process to stop. When the region's folder already holds a store of its own,
    /// the old one is left where it is, with a warning naming both.
    /// </summary>
    private string TablesFolder()
    {
        var folder = _state.TablesOf(_model.Account);
        if (!TableStoreFiles.Holds(_state.Tables))
        {
            return folder;
        }

        // The account and region the old store is taken to belong to.
        var owner = _previousRun is { OtherRegions.IsEmpty: true } record ? record.Model.Account : _model.Account;
        var target = _state.TablesOf(owner);
        var legacy = Path.Combine(_state.Tables, TableStoreFiles.DatabaseFileName);
        if (TableStoreFiles.IsOpen(_state.Tables))
        {
            throw new StackDeployException("tables", [
                $"{legacy} is the table store of an older Cloister, which keeps one for every region, and another process has it open " +
                $"(cloister serve dynamodb --data {_state.Tables}?): stop it and run up again, and the store moves to {target}, the store of " +
                $"account {owner.AccountId}, region {owner.Region}"]);
        }

        if (TableStoreFiles.Holds(target))
        {
            Report("tables", "warning", $"{legacy} is the table store of an older Cloister, which kept one for every region; it is left where it is, " +
                $"as {target} already holds account {owner.AccountId}, region {owner.Region}'s: serve it with ./cloister serve dynamodb --data {_state.Tables}");
            return folder;
        }

        try
        {
            TableStoreFiles.Move(_state.Tables, target);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StackDeployException("tables", [$"{legacy}, the table store of an older Cloister, could not be moved to {target}: {exception.Message}"], exception);
        }

        Report("tables", "warning", $"the table store of an older Cloister, which kept one for every region in {_state.Tables}, moved to {target}, the store of " +
            $"account {owner.AccountId}, region {owner.Region}" + (owner == _model.Account ? string.Empty : $" (its last deployment's); this stack's tables are in {folder}"));
        return folder;
    }
}
