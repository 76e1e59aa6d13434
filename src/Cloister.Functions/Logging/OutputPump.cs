using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;

namespace Cloister.Functions.Logging;

/// <summary>
/// Reads one output stream of a function's process on a dedicated thread and turns each line into a log event
/// (the runtimes write a multi-line message as one line with <c>\r</c> between its lines, as Lambda's do).
/// <see cref="Drain"/> waits until everything the process wrote so far has been logged, so that the function's
/// own lines come before the END line of its invocation.
/// </summary>
/// <remarks>
/// The reader never holds bytes the drain cannot see: it waits for input with poll (the bytes stay in the pipe),
/// says it is busy, announces how many bytes it is about to take (<see cref="_taken"/>), takes exactly those, logs
/// them and only then counts them as logged and stops being busy. So every byte written before a drain is in the
/// pipe, or announced, and the drain waits until that many bytes are logged (a writer that never stops cannot hold
/// it longer than the reader needs for what was there), or until the pipe is empty and the reader idle.
/// </remarks>
internal sealed class OutputPump
{
    private const int MaxLineBytes = 256 * 1024;
    private const int BufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private readonly Action<string> _onLine;
    private readonly SafeHandle? _pipe;
    private readonly Thread _thread;
    private int _busy;
    private long _taken;
    private long _logged;

    public OutputPump(Stream stream, Action<string> onLine)
    {
        _stream = stream;
        _onLine = onLine;
        _pipe = stream is PipeStream pipe ? pipe.SafePipeHandle : null;
        _thread = new Thread(Run) { IsBackground = true, Name = "function output" };
        _thread.Start();
    }

    /// <summary>Waits, at most <paramref name="limit"/>, until every byte written to the pipe before the call is logged.</summary>
    /// <returns>False when the limit ran out first (the tests tell a drain that waited for its limit by it, not by a clock).</returns>
    public bool Drain(TimeSpan limit)
    {
        if (_pipe is null || !TryAddRef(_pipe))
        {
            return true;
        }

        try
        {
            var fd = _pipe.DangerousGetHandle();

            // In this order the target can only overcount (bytes announced between the two reads count twice), and
            // the second condition ends the wait then. The common case costs one ioctl: nothing waits, all logged.
            var target = Native.BytesAvailable(fd) + Volatile.Read(ref _taken);
            var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
            var spin = default(SpinWait);
            while (Volatile.Read(ref _logged) < target && (Native.HasInput(fd) || Volatile.Read(ref _busy) != 0))
            {
                if (Environment.TickCount64 >= deadline)
                {
                    return false;
                }

                spin.SpinOnce(sleep1Threshold: 30);
            }

            return true;
        }
        finally
        {
            _pipe.DangerousRelease();
        }
    }

    private static bool TryAddRef(SafeHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
        }

        return added;
    }

    private void Run()
    {
        var buffer = new byte[BufferBytes];
        var line = new MemoryStream();
        try
        {
            while (true)
            {
                Volatile.Write(ref _busy, 0);
                var announced = WaitAndAnnounce();
                Interlocked.Exchange(ref _busy, 1);
                var read = announced > 0 ? ReadExactly(buffer, announced) : _stream.Read(buffer, 0, buffer.Length);
                if (read == 0)
                {
                    break;
                }

                if (announced == 0)
                {
                    Volatile.Write(ref _taken, _taken + read);
                }

                var span = buffer.AsSpan(0, read);
                while (span.Length > 0)
                {
                    var newline = span.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        if (line.Length + span.Length <= MaxLineBytes)
                        {
                            line.Write(span);
                        }

                        break;
                    }

                    line.Write(span[..newline]);
                    Emit(line);
                    span = span[(newline + 1)..];
                }

                // A line still without its newline counts as logged: the drain cannot wait for what was not written.
                Volatile.Write(ref _logged, _taken);
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process; what was read is logged below.
        }
        catch (ObjectDisposedException)
        {
        }

        if (line.Length > 0)
        {
            Emit(line);
        }

        Volatile.Write(ref _logged, _taken);
        Volatile.Write(ref _busy, 0);
    }

    /// <summary>
    /// Waits until the pipe has input (or its writer is gone) and announces how many bytes the reader takes next
    /// (0 when it cannot tell: end of stream, or not a pipe, read as it comes).
    /// </summary>
    private int WaitAndAnnounce()
    {
        if (_pipe is null || _pipe.IsClosed)
        {
            return 0;
        }

        // No reference is held across the wait: disposing a pipe stream waits for such references, and the stream is
        // disposed after its process is gone, which ends the wait (POLLHUP). A closed descriptor gives no count; the
        // read below then ends the loop.
        var fd = _pipe.DangerousGetHandle();
        Native.WaitForInput(fd);
        var count = Math.Min(Native.BytesAvailable(fd), BufferBytes);
        Volatile.Write(ref _taken, _taken + count);
        return count;
    }

    /// <summary>Reads the announced bytes; a pipe holding them gives them all (fewer only when the stream broke).</summary>
    private int ReadExactly(byte[] buffer, int count)
    {
        var total = 0;
        while (total < count)
        {
            var read = _stream.Read(buffer, total, count - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private void Emit(MemoryStream line)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        _onLine(Encoding.UTF8.GetString(bytes));
        line.SetLength(0);
    }
}
