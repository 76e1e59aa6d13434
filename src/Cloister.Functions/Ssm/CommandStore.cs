using System.Text;
using System.Text.Json;
using Cloister.Functions.Hosting;

namespace Cloister.Functions.Ssm;

/// <summary>
/// Run Command's commands and their invocations, in the order they were sent, and the queue each agent fetches its
/// instance's pending invocations (and cancellations) from. Kept in one append-only file, <c>commands.jsonl</c>: one
/// JSON object per command sent (<c>"op":"send"</c>) or invocation changed (<c>"op":"invocation"</c>, its whole new
/// state), each fsynced before the call that made it is answered, so an acknowledged SendCommand survives a restart.
/// At start the file is read back, commands older than <see cref="Retention"/> are forgotten (AWS keeps 30 days of
/// history), invocations the stopped host's agents were running are ended (<see cref="Interrupted"/>), pending ones
/// for instances that are gone are <c>Undeliverable</c>, and the file is
/// rewritten with what is kept (which also drops a last line torn by a crash).
/// </summary>
internal sealed class CommandStore
{
    /// <summary>How long a command is kept after it was sent, as AWS keeps Run Command's history.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>
    /// What an invocation that was running when the host stopped reads after the restart: its process was killed with
    /// the instance's, and the sandbox's agent keeps no document state to resume it from (docs/ssm.md).
    /// </summary>
    public const string Interrupted = "The command was interrupted: the instance's SSM Agent stopped (the stack host shut down) while it ran, and its processes were killed.";

    private const string FileName = "commands.jsonl";

    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly List<RunCommand> _commands = [];
    private readonly Dictionary<(string CommandId, string InstanceId), CommandInvocation> _invocations = [];

    /// <summary>
    /// Reads back the commands kept in <paramref name="folder"/> (created when missing) as of
    /// <paramref name="nowMilliseconds"/>; a <c>Pending</c> invocation for an instance not among
    /// <paramref name="instances"/> (when known) is <c>Undeliverable</c>: that instance is gone.
    /// </summary>
    public CommandStore(string folder, long nowMilliseconds, IReadOnlySet<string>? instances = null)
    {
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, FileName);
        foreach (var record in DurableFile.ReadRecords(_path, SsmJsonContext.Default.StoredCommand))
        {
            if (record is { Op: "send", Command: { } command })
            {
                _commands.Add(command);
            }
            else if (record is { Op: "invocation", Invocation: { } invocation })
            {
                _invocations[(invocation.CommandId, invocation.InstanceId)] = invocation;
            }
        }

        _commands.RemoveAll(c => nowMilliseconds - c.RequestedMilliseconds > (long)Retention.TotalMilliseconds);
        var kept = new StringBuilder();
        foreach (var command in _commands)
        {
            kept.Append(Line(new StoredCommand("send", command, null)));
            foreach (var instance in command.InstanceIds)
            {
                var key = (command.CommandId, instance);
                var invocation = _invocations.GetValueOrDefault(key) ?? Pending(command.CommandId, instance);
                _invocations[key] = invocation.Status switch
                {
                    "InProgress" => invocation with { Status = "Failed", StatusDetails = "Failed", StandardError = Appended(invocation.StandardError, Interrupted), EndMilliseconds = nowMilliseconds },
                    // The agent that was to kill it is gone, and so is the process: the cancellation is done.
                    "Cancelling" => invocation with { Status = "Cancelled", StatusDetails = "Cancelled", EndMilliseconds = nowMilliseconds },
                    "Pending" when instances is not null && !instances.Contains(instance) =>
                        invocation with { Status = "Failed", StatusDetails = "Undeliverable", EndMilliseconds = nowMilliseconds },
                    _ => invocation,
                };
            }

            // An interrupted invocation is an error: past MaxErrors, what still waits is sent nowhere.
            var invocations = InvocationsOf(command);
            if (RateControls.Exceeded(invocations, AllowedErrors(command)))
            {
                foreach (var pending in invocations.Where(i => i.Status == "Pending"))
                {
                    _invocations[(command.CommandId, pending.InstanceId)] = RateControls.Terminated(pending, nowMilliseconds);
                }
            }

            foreach (var invocation in InvocationsOf(command))
            {
                kept.Append(Line(new StoredCommand("invocation", null, invocation)));
            }
        }

        var known = _commands.Select(c => c.CommandId).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _invocations.Keys.Where(k => !known.Contains(k.CommandId)).ToList())
        {
            _invocations.Remove(key);
        }

        DurableFile.Replace(_path, Encoding.UTF8.GetBytes(kept.ToString()));
    }

    /// <summary>Records <paramref name="command"/> and a <c>Pending</c> invocation per instance, durably.</summary>
    public void Add(RunCommand command)
    {
        lock (_lock)
        {
            var text = new StringBuilder(Line(new StoredCommand("send", command, null)));
            var invocations = command.InstanceIds.Select(i => Pending(command.CommandId, i)).ToList();
            foreach (var invocation in invocations)
            {
                text.Append(Line(new StoredCommand("invocation", null, invocation)));
            }

            DurableFile.Append(_path, text.ToString());
            _commands.Add(command);
            foreach (var invocation in invocations)
            {
                _invocations[(command.CommandId, invocation.InstanceId)] = invocation;
            }

            // Commands past the retention are forgotten here too (the file forgets them at the next start).
            var expired = _commands.TakeWhile(c => command.RequestedMilliseconds - c.RequestedMilliseconds > (long)Retention.TotalMilliseconds).ToList();
            foreach (var oldest in expired)
            {
                _commands.Remove(oldest);
                foreach (var instance in oldest.InstanceIds)
                {
                    _invocations.Remove((oldest.CommandId, instance));
                }
            }
        }
    }

    /// <summary>The commands, the latest first (as ListCommands answers).</summary>
    public List<RunCommand> Commands()
    {
        lock (_lock)
        {
            return [.. Enumerable.Reverse(_commands)];
        }
    }

    public RunCommand? Find(string commandId)
    {
        lock (_lock)
        {
            return _commands.Find(c => c.CommandId == commandId);
        }
    }

    public CommandInvocation? Invocation(string commandId, string instanceId)
    {
        lock (_lock)
        {
            return _invocations.GetValueOrDefault((commandId, instanceId));
        }
    }

    /// <summary>The invocations of <paramref name="command"/>, in its instance order.</summary>
    public List<CommandInvocation> Invocations(RunCommand command)
    {
        lock (_lock)
        {
            return InvocationsOf(command);
        }
    }

    /// <summary>
    /// Hands the agent of <paramref name="instanceId"/> its pending invocations, oldest first, and marks them
    /// <c>InProgress</c> (the agent acknowledged them); one whose delivery timeout has passed is <c>TimedOut</c>
    /// instead, as Run Command gives up on an instance that never fetched it. An invocation waits (still
    /// <c>Pending</c>) while its command's rate controls hold it back (<see cref="RateControls.Sendable"/>). The
    /// cancellations of its <c>Cancelling</c> invocations come with them (<c>Cancel</c> set), each handed over once.
    /// </summary>
    public List<(RunCommand Command, bool Cancel)> Deliver(string instanceId, long nowMilliseconds)
    {
        lock (_lock)
        {
            var delivered = new List<(RunCommand, bool)>();
            var changed = new List<CommandInvocation>();
            foreach (var command in _commands.Where(c => c.InstanceIds.Contains(instanceId)))
            {
                var invocation = _invocations.GetValueOrDefault((command.CommandId, instanceId));
                if (invocation is { Status: "Cancelling", CancelDelivered: false })
                {
                    changed.Add(invocation with { CancelDelivered = true });
                    delivered.Add((command, true));
                    continue;
                }

                if (invocation is not { Status: "Pending" })
                {
                    continue;
                }

                if (nowMilliseconds - command.RequestedMilliseconds > command.DeliveryTimeoutSeconds * 1000L)
                {
                    changed.Add(invocation with { Status = "TimedOut", StatusDetails = "DeliveryTimedOut", EndMilliseconds = nowMilliseconds });
                    continue;
                }

                if (!RateControls.Sendable(InvocationsOf(command), RateControls.Concurrency(command.MaxConcurrency, command.InstanceIds.Length), AllowedErrors(command)).Contains(instanceId, StringComparer.Ordinal))
                {
                    continue;
                }

                changed.Add(invocation with { Status = "InProgress", StatusDetails = "InProgress", StartMilliseconds = nowMilliseconds });
                delivered.Add((command, false));
            }

            Write(changed);
            return delivered;
        }
    }

    /// <summary>
    /// CancelCommand on <paramref name="instanceIds"/> of <paramref name="command"/>, durably: a <c>Pending</c>
    /// invocation is <c>Cancelled</c> without running, an <c>InProgress</c> one <c>Cancelling</c> until its agent
    /// kills the script and replies; one that has ended is left as it is.
    /// </summary>
    public void Cancel(RunCommand command, IEnumerable<string> instanceIds, long nowMilliseconds)
    {
        lock (_lock)
        {
            var changed = new List<CommandInvocation>();
            foreach (var instance in instanceIds)
            {
                switch (_invocations.GetValueOrDefault((command.CommandId, instance)))
                {
                    case { Status: "Pending" } pending:
                        changed.Add(pending with { Status = "Cancelled", StatusDetails = "Cancelled", EndMilliseconds = nowMilliseconds });
                        break;
                    case { Status: "InProgress" } running:
                        changed.Add(running with { Status = "Cancelling", StatusDetails = "Cancelling" });
                        break;
                }
            }

            Write(changed);
        }
    }

    /// <summary>
    /// Records the agent's reply for an invocation it was handed (running, or being cancelled: a script that ended
    /// before its cancellation reached the agent keeps its outcome); false when there is no such invocation.
    /// </summary>
    public bool Complete(string commandId, string instanceId, string status, int responseCode, string output, string error, long nowMilliseconds)
    {
        lock (_lock)
        {
            if (_invocations.GetValueOrDefault((commandId, instanceId)) is not { Status: "InProgress" or "Cancelling" } invocation)
            {
                return false;
            }

            var ended = invocation with
            {
                Status = status,
                StatusDetails = status == "TimedOut" ? "ExecutionTimedOut" : status,
                ResponseCode = responseCode,
                StandardOutput = output,
                StandardError = error,
                EndMilliseconds = nowMilliseconds,
            };
            List<CommandInvocation> changed = [ended];
            if (_commands.Find(c => c.CommandId == commandId) is { } command)
            {
                // The error that exceeds MaxErrors stops the command: what it has not sent yet, it never sends.
                var invocations = InvocationsOf(command).Select(i => i.InstanceId == instanceId ? ended : i).ToList();
                if (RateControls.Exceeded(invocations, AllowedErrors(command)))
                {
                    changed.AddRange(invocations.Where(i => i.Status == "Pending").Select(i => RateControls.Terminated(i, nowMilliseconds)));
                }
            }

            Write(changed);
            return true;
        }
    }

    /// <summary>
    /// A command's <c>Status</c> and <c>StatusDetails</c> from its invocations' and the errors
    /// <paramref name="allowedErrors"/> its <c>MaxErrors</c> allows: <c>Success</c> when its targets matched no
    /// instance, <c>Pending</c> while none was fetched, <c>Cancelling</c> while any is being cancelled,
    /// <c>InProgress</c> while any runs or waits, then <c>Success</c> when all succeeded, <c>Cancelled</c> when any
    /// was cancelled by CancelCommand, <c>TimedOut</c> or <c>Failed</c> when the errors exceeded <c>MaxErrors</c>,
    /// <c>TimedOut</c> when any delivery timed out, <c>Success</c> with <c>StatusDetails</c> <c>Incomplete</c> when
    /// some failed within <c>MaxErrors</c> (AWS's Success: "the value of max-errors was not reached"), else
    /// <c>Failed</c>.
    /// </summary>
    public static (string Status, string Details) StatusOf(IReadOnlyCollection<CommandInvocation> invocations, int allowedErrors)
    {
        var status = invocations.Count == 0 ? "Success"
            : invocations.All(i => i.Status == "Pending") ? "Pending"
            : invocations.Any(i => i.Status == "Cancelling") ? "Cancelling"
            : invocations.Any(i => !i.IsDone) ? "InProgress"
            : invocations.All(i => i.Status == "Success") ? "Success"
            : invocations.Any(i => i.StatusDetails == "Cancelled") ? "Cancelled"
            : RateControls.Exceeded(invocations, allowedErrors) ? invocations.Any(i => i.Status == "TimedOut") ? "TimedOut" : "Failed"
            : invocations.Any(i => i.StatusDetails == "DeliveryTimedOut") ? "TimedOut"
            : invocations.Any(RateControls.IsError) ? "Incomplete"
            : "Failed";
        return status == "Incomplete" ? ("Success", status) : (status, status);
    }

    /// <summary>The errors <paramref name="command"/>'s <c>MaxErrors</c> allows against its targets.</summary>
    public static int AllowedErrors(RunCommand command) => RateControls.AllowedErrors(command.MaxErrors, command.InstanceIds.Length);

    /// <summary>Writes the new states of <paramref name="changed"/> durably, then takes them; the caller holds the lock.</summary>
    private void Write(List<CommandInvocation> changed)
    {
        if (changed.Count == 0)
        {
            return;
        }

        DurableFile.Append(_path, string.Concat(changed.Select(i => Line(new StoredCommand("invocation", null, i)))));
        foreach (var invocation in changed)
        {
            _invocations[(invocation.CommandId, invocation.InstanceId)] = invocation;
        }
    }

    /// <summary>The invocations of <paramref name="command"/>, in its instance order; the caller holds the lock (or is the constructor).</summary>
    private List<CommandInvocation> InvocationsOf(RunCommand command) =>
        [.. command.InstanceIds.Select(i => _invocations.GetValueOrDefault((command.CommandId, i))).OfType<CommandInvocation>()];

    private static CommandInvocation Pending(string commandId, string instanceId) =>
        new(commandId, instanceId, "Pending", "Pending", -1, string.Empty, string.Empty, null, null);

    private static string Appended(string error, string line) =>
        error.Length == 0 || error.EndsWith('\n') ? error + line : error + "\n" + line;

    private static string Line(StoredCommand record) => JsonSerializer.Serialize(record, SsmJsonContext.Default.StoredCommand) + "\n";

    /// <summary>One line of <c>commands.jsonl</c>: a command sent, or an invocation's new state.</summary>
    internal sealed record StoredCommand(string Op, RunCommand? Command, CommandInvocation? Invocation);
}
