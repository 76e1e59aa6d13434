using System.IO.Compression;
using System.Security.Cryptography;
using Cloister.Functions.Runtimes;
using Cloister.Model.Compute;

namespace Cloister.Functions.Code;

/// <summary>
/// Turns a function's code into a task root folder: a folder is used where it is; a zip is unpacked once per
/// content hash under <c>StatePaths.Functions</c>; inline source is written as <c>index.js</c> / <c>index.py</c>,
/// the file names CloudFormation's <c>ZipFile</c> gives it.
/// </summary>
internal static class FunctionCode
{
    public static string? Resolve(LambdaFunction function, string functionsRoot, RuntimeKind kind, out string? problem)
    {
        problem = null;
        if (function.InlineCode is { } inline)
        {
            if (InlineFileName(kind) is not { } file)
            {
                problem = $"Function {function.FunctionName}: Code.ZipFile (inline source) is only for Node.js and Python runtimes, not {function.Runtime}.";
                return null;
            }

            var hash = Hash(System.Text.Encoding.UTF8.GetBytes(inline));
            var dir = Path.Combine(functionsRoot, function.FunctionName, "inline-" + hash);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, file), inline);
            return dir;
        }

        if (function.CodePath is not { } path)
        {
            problem = $"Function {function.FunctionName}: Code has neither a path nor inline source.";
            return null;
        }

        if (Directory.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        if (!File.Exists(path))
        {
            problem = $"Function {function.FunctionName}: Code path {path} does not exist.";
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            var target = Path.Combine(functionsRoot, function.FunctionName, "zip-" + Hash(stream));
            if (!Directory.Exists(target))
            {
                var staging = target + ".tmp-" + Environment.ProcessId;
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }

                ZipFile.ExtractToDirectory(path, staging);
                Directory.Move(staging, target);
            }

            return target;
        }
        catch (InvalidDataException exception)
        {
            problem = $"Function {function.FunctionName}: Code {path} is not a valid zip file ({exception.Message}).";
            return null;
        }
    }

    /// <summary>The file CloudFormation's <c>ZipFile</c> puts inline source in for the runtime; null where it takes none.</summary>
    public static string? InlineFileName(RuntimeKind kind) => kind switch
    {
        RuntimeKind.Node => "index.js",
        RuntimeKind.Python => "index.py",
        _ => null,
    };

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

    private static string Hash(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
}
