namespace Cloister.Shared.Processes;

/// <summary>
/// What <c>/proc/{pid}/stat</c> says of a process: its state letter (<c>R</c>, <c>S</c>, <c>Z</c>...), parent, process
/// group, session and start time (clock ticks since boot).
/// </summary>
internal readonly record struct ProcStat(int Pid, char State, int Parent, int Group, int Session, long StartTime)
{
    /// <summary>Exited, not yet reaped by its parent (<c>Z</c>), or dead (<c>X</c>): gone, though <c>/proc</c> still shows it.</summary>
    public bool IsGone => State is 'Z' or 'X';

    /// <summary>The process's <c>/proc/{pid}/stat</c>; null when the process is gone or the file cannot be read.</summary>
    public static ProcStat? Read(int pid)
    {
        Span<byte> buffer = stackalloc byte[1024];
        int length;
        try
        {
            using var handle = File.OpenHandle($"/proc/{pid}/stat");
            length = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) S ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // priority nice threads itrealvalue starttime ...": comm may hold anything, so fields count from the last ')'.
        var line = buffer[..length];
        var close = line.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= line.Length)
        {
            return null;
        }

        var rest = line[(close + 2)..];
        var state = (char)rest[0];
        Span<long> fields = stackalloc long[20];
        for (var i = 0; i < fields.Length; i++)
        {
            var space = rest.IndexOf((byte)' ');
            var token = space < 0 ? rest : rest[..space];
            fields[i] = i == 0 ? 0 : ParseLong(token);
            rest = space < 0 ? [] : rest[(space + 1)..];
        }

        return new ProcStat(pid, state, (int)fields[1], (int)fields[2], (int)fields[3], fields[19]);
    }

    private static long ParseLong(ReadOnlySpan<byte> digits)
    {
        long value = 0;
        var negative = digits.Length > 0 && digits[0] == '-';
        foreach (var b in negative ? digits[1..] : digits)
        {
            value = (value * 10) + (b - '0');
        }

        return negative ? -value : value;
    }
}
