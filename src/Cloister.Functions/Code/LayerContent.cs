using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Cloister.Model.Compute;

namespace Cloister.Functions.Code;

/// <summary>
/// A function's layers made into the folder its execution environments see as <c>/opt</c>: each layer (a zip or a
/// folder) extracted in the function's order, a later layer's files replacing an earlier one's, as Lambda extracts
/// them. Made once per content under <c>StatePaths.Functions</c> and never written again (environments mount it
/// read-only). Lambda's quota applies: the function's code and its layers, unzipped, at most 250 MB together.
/// </summary>
internal static class LayerContent
{
    /// <summary>Lambda's limit on a function's unzipped code and layers together (262,144,000 bytes).</summary>
    public const long MaxUnzippedBytes = 250L * 1024 * 1024;

    /// <summary>
    /// The merged <c>/opt</c> folder of <paramref name="function"/>'s layers; null when it has none, or with
    /// <paramref name="problem"/> when a layer cannot be read or the whole is over <see cref="MaxUnzippedBytes"/>.
    /// </summary>
    public static string? Prepare(LambdaFunction function, string functionsRoot, string taskRoot, out string? problem)
    {
        problem = null;
        if (function.Layers.IsDefaultOrEmpty)
        {
            return null;
        }

        try
        {
            var size = FolderSize(taskRoot);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var layer in function.Layers)
            {
                if (!Directory.Exists(layer.ContentPath) && !File.Exists(layer.ContentPath))
                {
                    problem = $"Function {function.FunctionName}: the content of layer {layer.Arn}, {layer.ContentPath}, does not exist.";
                    return null;
                }

                size += UnzippedSize(layer.ContentPath);
                AddContent(hash, layer.ContentPath);
            }

            if (size > MaxUnzippedBytes)
            {
                problem = $"Function {function.FunctionName}: Function code combined with layers exceeds the maximum allowed size of {MaxUnzippedBytes} bytes. The actual size is {size} bytes.";
                return null;
            }

            var target = Path.Combine(functionsRoot, function.FunctionName, "opt-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16]);
            if (!Directory.Exists(target))
            {
                var staging = target + ".tmp-" + Environment.ProcessId;
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }

                Directory.CreateDirectory(staging);
                foreach (var layer in function.Layers)
                {
                    Extract(layer.ContentPath, staging);
                }

                Directory.Move(staging, target);
            }

            return target;
        }
        catch (InvalidDataException exception)
        {
            problem = $"Function {function.FunctionName}: a layer's content is not a valid zip file ({exception.Message}).";
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"Function {function.FunctionName}: its layers could not be prepared ({exception.Message}).";
            return null;
        }
    }

    private static void Extract(string content, string target)
    {
        if (File.Exists(content))
        {
            ZipFile.ExtractToDirectory(content, target, overwriteFiles: true);
            return;
        }

        foreach (var file in Files(content))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(content, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
    }

    // Each file's place and bytes, so the folder changes name whenever a layer's content does (and only then).
    private static void AddContent(IncrementalHash hash, string content)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(content + "\n"));
        foreach (var file in File.Exists(content) ? [content] : Files(content))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(content, file) + "\0" + ((int)File.GetUnixFileMode(file)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0"));
            using var stream = File.OpenRead(file);
            hash.AppendData(SHA256.HashData(stream));
        }
    }

    private static long UnzippedSize(string content)
    {
        if (!File.Exists(content))
        {
            return FolderSize(content);
        }

        using var zip = ZipFile.OpenRead(content);
        return zip.Entries.Sum(e => e.Length);
    }

    private static long FolderSize(string folder) =>
        Directory.Exists(folder) ? Files(folder).Sum(f => new FileInfo(f).Length) : 0;

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
}
