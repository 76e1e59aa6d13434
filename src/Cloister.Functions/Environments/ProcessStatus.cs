using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;

namespace Cloister.Functions.Environments;

/// <summary>
/// Reads a process's peak resident set (<c>VmHWM</c>) from <c>/proc/PID/status</c> through a handle kept open for
/// the environment's life: one pread per invocation, no allocation.
/// </summary>
internal static class ProcessStatus
{
    public static int PeakResidentMb(ref SafeFileHandle? handle, int processId)
    {
        try
        {
            handle ??= File.OpenHandle($"/proc/{processId}/status");
            Span<byte> buffer = stackalloc byte[4096];
            var read = RandomAccess.Read(handle, buffer, 0);
            var text = buffer[..read];
            var at = text.IndexOf("VmHWM:"u8);
            if (at < 0)
            {
                return 0;
            }

            var value = text[(at + 6)..].TrimStart(" \t"u8);
            return Utf8Parser.TryParse(value, out long kb, out _) ? (int)((kb + 1023) / 1024) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
