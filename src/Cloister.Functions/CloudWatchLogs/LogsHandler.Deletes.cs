namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// DeleteLogGroup and DeleteLogStream: the group or stream and its events are gone for good once the call is answered
/// (<see cref="LogStore.DeleteGroup"/>, <see cref="LogStore.DeleteStream"/>). A deleted stack group comes back when its
/// writer writes again, as Lambda creates a function's group again when it next logs.
/// </summary>
internal sealed partial class LogsHandler
{
    private byte[] DeleteLogGroup(LogsCall call)
    {
        var group = Group(call, "DeleteLogGroup");
        store.DeleteGroup(group, Now);
        return "{}"u8.ToArray();
    }

    private byte[] DeleteLogStream(LogsCall call)
    {
        var stream = StreamName(call);
        var group = Group(call, "DeleteLogStream", stream);
        if (!HasStream(group, stream))
        {
            throw LogsException.NoSuchStream();
        }

        store.DeleteStream(group, stream, Now);
        return "{}"u8.ToArray();
    }
}
