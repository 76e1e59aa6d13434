using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Cloister.Functions.Runtimes;
using Cloister.Model.Compute;

namespace Cloister.Functions.Code;

/// <summary>
/// A function's deployment package as Lambda describes it (<c>CodeSize</c>, <c>CodeSha256</c>): a zip's own bytes;
/// for a folder or inline source, which never became a zip, the zip Cloister makes of it the same way every time
/// (files in ordinal order of their relative paths, each dated 1980-01-01 with its Unix mode, deflated), so the hash
/// changes only when the code does.
/// </summary>
/// <param name="Size">The package's length in bytes.</param>
/// <param name="Sha256">Base64 of its SHA-256, as Lambda gives it.</param>
internal sealed record CodePackage(long Size, string Sha256)
{
    // The zip format's earliest date: no clock in the package.
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The length of each of the function's layers' packages, in the function's order (<c>Layers[].CodeSize</c>), made
    /// as its own code's is; 0 for one whose content is nowhere to be read.
    /// </summary>
    public ImmutableArray<long> LayerSizes { get; init; } = [];

    /// <summary>The package of <paramref name="function"/>'s code, with its layers' sizes; null when its code is nowhere to be read.</summary>
    public static CodePackage? Of(LambdaFunction function) =>
        OfCode(function) is { } code ? code with { LayerSizes = [.. function.Layers.Select(l => OfPath(l.ContentPath)?.Size ?? 0)] } : null;

    private static CodePackage? OfCode(LambdaFunction function)
    {
        if (function.InlineCode is { } inline)
        {
            var name = RuntimeCatalog.KindOf(function.Runtime) is { } kind ? FunctionCode.InlineFileName(kind) : null;
            return name is null ? null : Zip([(name, Encoding.UTF8.GetBytes(inline), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)]);
        }

        return function.CodePath is { } path ? OfPath(path) : null;
    }

    /// <summary>The package of a folder or zip at <paramref name="path"/>; null when there is nothing there.</summary>
    private static CodePackage? OfPath(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Select(file => (Name: Path.GetRelativePath(path, file).Replace(Path.DirectorySeparatorChar, '/'), File: file))
                .OrderBy(entry => entry.Name, StringComparer.Ordinal)
                .Select(entry => (entry.Name, File.ReadAllBytes(entry.File), File.GetUnixFileMode(entry.File)));
            return Zip(files);
        }

        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return new CodePackage(stream.Length, Convert.ToBase64String(SHA256.HashData(stream)));
    }

    private static CodePackage Zip(IEnumerable<(string Name, byte[] Content, UnixFileMode Mode)> files)
    {
        using var package = new MemoryStream();
        using (var zip = new ZipArchive(package, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                // A regular file (S_IFREG) with its permissions, as zip -X keeps them: a bootstrap stays executable.
                entry.ExternalAttributes = (int)((0x8000u | (uint)mode) << 16);
                using var writer = entry.Open();
                writer.Write(content);
            }
        }

        package.Position = 0;
        return new CodePackage(package.Length, Convert.ToBase64String(SHA256.HashData(package)));
    }
}
