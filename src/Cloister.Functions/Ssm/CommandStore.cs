namespace Cloister.Functions.Ssm;

/// <summary>
/// Run Command's commands and their invocations, in the order they were sent, and the queue each agent fetches its
/// instance's pending invocations from. Kept in memory, as the commands of one <c>up</c>; the latest
/// <see cref="MaxCommands"/> are kept (AWS keeps 30 days of them).
/// </summary>
internal sealed class CommandStore
{
    /// <summary>How many commands are kept; the oldest are forgotten.</summary>
    public const int MaxCommands = 1000;

    private readonly Lock _lock = new();
    private readonly List<RunCommand> _commands = [];
    private readonly Dictionary<(string CommandId, string InstanceId), CommandInvocation> _invocations = [];

    public void Add(RunCommand command)
    {
        lock (_lock)
        {
            _commands.Add(command);
            foreach (var instance in command.InstanceIds)
            {
                _invocations[(command.CommandId, instance)] = new CommandInvocation(command.CommandId, instance, "Pending", "Pending", -1, string.Empty, string.Empty, null, null);
            }

            while (_commands.Count > MaxCommands)
            {
                var oldest = _commands[0];
                _commands.RemoveAt(0);
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
            return [.. command.InstanceIds.Select(i => _invocations.GetValueOrDefault((command.CommandId, i))).OfType<CommandInvocation>()];
        }
    }

    /// <summary>
    /// Hands the agent of <paramref name="instanceId"/> its pending invocations, oldest first, and marks them
    /// <c>InProgress</c> (the agent acknowledged them); one whose delivery timeout has passed is <c>TimedOut</c>
    /// instead, as Run Command gives up on an instance that never fetched it.
    /// </summary>
    public List<RunCommand> Deliver(string instanceId, long nowMilliseconds)
    {
        lock (_lock)
        {
            var delivered = new List<RunCommand>();
            foreach (var command in _commands.Where(c => c.InstanceIds.Contains(instanceId)))
            {
                var key = (command.CommandId, instanceId);
                if (_invocations.GetValueOrDefault(key) is not { Status: "Pending" } invocation)
                {
                    continue;
                }

                if (nowMilliseconds - command.RequestedMilliseconds > command.DeliveryTimeoutSeconds * 1000L)
                {
                    _invocations[key] = invocation with { Status = "TimedOut", StatusDetails = "DeliveryTimedOut", EndMilliseconds = nowMilliseconds };
                    continue;
                }

                _invocations[key] = invocation with { Status = "InProgress", StatusDetails = "InProgress", StartMilliseconds = nowMilliseconds };
                delivered.Add(command);
            }

            return delivered;
        }
    }

    /// <summary>Records the agent's reply for an invocation it was handed; false when there is no such running invocation.</summary>
    public bool Complete(string commandId, string instanceId, string status, int responseCode, string output, string error, long nowMilliseconds)
    {
        lock (_lock)
        {
            var key = (commandId, instanceId);
            if (_invocations.GetValueOrDefault(key) is not { Status: "InProgress" } invocation)
            {
                return false;
            }

            _invocations[key] = invocation with
            {
                Status = status,
                StatusDetails = status == "TimedOut" ? "ExecutionTimedOut" : status,
                ResponseCode = responseCode,
                StandardOutput = output,
                StandardError = error,
                EndMilliseconds = nowMilliseconds,
            };
            return true;
        }
    }

    /// <summary>
    /// A command's status from its invocations': <c>Pending</c> while none was fetched, <c>InProgress</c> while any
    /// runs or waits, then <c>Success</c> when all succeeded, <c>TimedOut</c> when any timed out, else <c>Failed</c>.
    /// </summary>
    public static string StatusOf(IReadOnlyCollection<CommandInvocation> invocations) =>
        invocations.All(i => i.Status == "Pending") ? "Pending"
        : invocations.Any(i => !i.IsDone) ? "InProgress"
        : invocations.All(i => i.Status == "Success") ? "Success"
        : invocations.Any(i => i.Status == "TimedOut") ? "TimedOut"
        : "Failed";
}
