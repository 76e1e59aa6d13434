using System.ComponentModel;
using System.Runtime.InteropServices;
using Cloister.Shared.Processes;

namespace Cloister.Functions.Launching;

/// <summary>
/// Finds the program an execution environment starts, and says, in the words of Lambda's runtime manager (written in
/// Go), why it cannot start before anything is launched: <c>Couldn't find valid bootstrap(s): [… …]</c> when a custom
/// runtime has neither bootstrap, <c>fork/exec PATH: permission denied</c> (or <c>no such file or directory</c>,
/// <c>exec format error</c>) when exec would refuse the program. Lambda answers every such init
/// <c>Runtime.InvalidEntrypoint</c>. Checked here rather than left to exec because a launcher may start the program
/// through a wrapper (a network namespace's, the layers' mount), whose own exec failure would only show as its exit
/// status 127 or 126, which a bootstrap may also exit with.
/// </summary>
internal static class Entrypoint
{
    /// <summary>Lambda's error type for a runtime that could not be started.</summary>
    public const string ErrorType = "Runtime.InvalidEntrypoint";

    /// <summary>Where a custom runtime's layers put their bootstrap, as the function sees it.</summary>
    public const string LayerBootstrap = "/opt/bootstrap";

    private const int Enoent = 2;
    private const int Enoexec = 8;
    private const int Eacces = 13;

    // The kernel reads at most this much of a script's first line (BINPRM_BUF_SIZE).
    private const int HeaderBytes = 256;

    /// <summary>
    /// A custom runtime's bootstrap, as Lambda looks for it: the code's <c>bootstrap</c>, else a layer's
    /// <c>/opt/bootstrap</c> (<paramref name="layerRoot"/> is the folder the environment sees as <c>/opt</c>). Returns
    /// the path to start and the file behind it on the host, or the reason when there is neither.
    /// </summary>
    public static (string? Path, string? HostPath, string? Reason) FindBootstrap(string taskRoot, string? layerRoot)
    {
        var own = Path.Combine(taskRoot, "bootstrap");
        if (Exists(own))
        {
            return (own, own, null);
        }

        if (layerRoot is not null && Path.Combine(layerRoot, "bootstrap") is var layer && Exists(layer))
        {
            return (LayerBootstrap, layer, null);
        }

        return (null, null, $"Couldn't find valid bootstrap(s): [{own} {LayerBootstrap}]");
    }

    /// <summary>
    /// Why exec would refuse <paramref name="hostPath"/> (a path on the host; <paramref name="shownPath"/> is how the
    /// function names it), worded as Go's <c>fork/exec</c> error; null when it would run it, or when it is a name to be
    /// found on PATH, which the launcher finds. Checks what execve checks first: the file, its execute permission, and
    /// that it is an ELF program for this machine or a script whose interpreter exists and may be executed (a script
    /// saved with Windows line ends names an interpreter ending in a carriage return, which does not exist).
    /// </summary>
    public static string? ExecProblem(string hostPath, string shownPath)
    {
        if (!hostPath.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var errno = ExecErrno(hostPath);
        return errno == 0 ? null : ForkExecError(shownPath, errno);
    }

    /// <summary>Go's <c>fork/exec PATH: reason</c> for an exec that failed with <paramref name="errno"/>.</summary>
    public static string ForkExecError(string path, int errno) => $"fork/exec {path}: {ErrnoText(errno)}";

    private static int ExecErrno(string path)
    {
        if (Directory.Exists(path))
        {
            return Eacces;
        }

        if (!File.Exists(path))
        {
            return Enoent;
        }

        if (!ExecutableSearch.IsExecutable(path))
        {
            return Eacces;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        int read;
        try
        {
            using var file = File.OpenHandle(path);
            read = RandomAccess.Read(file, header, 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Eacces;
        }

        header = header[..read];
        if (header.StartsWith("\u007fELF"u8))
        {
            return IsForThisMachine(header) ? 0 : Enoexec;
        }

        if (!header.StartsWith("#!"u8))
        {
            return Enoexec;
        }

        var interpreter = Interpreter(header[2..]);
        if (interpreter.Length == 0)
        {
            return Enoexec;
        }

        if (!Path.IsPathRooted(interpreter))
        {
            // Relative to the working directory the launcher gives it: left to exec.
            return 0;
        }

        // The interpreter's own problem is the script's exec error (an interpreter that is itself a script is not followed).
        return File.Exists(interpreter) ? ExecutableSearch.IsExecutable(interpreter) ? 0 : Eacces : Directory.Exists(interpreter) ? Eacces : Enoent;
    }

    // The kernel's reading: skip blanks, the name runs to the next space, tab or line end (a carriage return is part of it).
    private static string Interpreter(ReadOnlySpan<byte> line)
    {
        var end = line.IndexOf((byte)'\n');
        line = end < 0 ? line : line[..end];
        line = line.TrimStart(" \t"u8);
        var stop = line.IndexOfAny(" \t"u8);
        return System.Text.Encoding.UTF8.GetString(stop < 0 ? line : line[..stop]);
    }

    // e_machine at offset 18 (little-endian on the machines Cloister runs on): 62 x86-64, 183 AArch64.
    private static bool IsForThisMachine(ReadOnlySpan<byte> header)
    {
        if (header.Length < 20)
        {
            return false;
        }

        var machine = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => machine == 62,
            Architecture.Arm64 => machine == 183,
            _ => true,
        };
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    // Go's texts for the errno values (its syscall table): glibc's strerror in lower case.
    private static string ErrnoText(int errno) => errno switch
    {
        Enoent => "no such file or directory",
        Eacces => "permission denied",
        Enoexec => "exec format error",
        _ => new Win32Exception(errno).Message is { Length: > 0 } message ? char.ToLowerInvariant(message[0]) + message[1..] : $"errno {errno}",
    };
}
