using System.Xml;
using System.Xml.Linq;
using Cloister.Templates.Code;

namespace Cloister.Host.Code;

/// <summary>
/// Everything a .NET project's build reads: the project's files and, recursively, those of the projects it references
/// (bin and obj left out, and node_modules at the top), plus the central package versions and build props above it.
/// Each is looked at before anything opens it; what cannot be read as a file is refused instead of hashed.
/// </summary>
internal sealed class ProjectInputs
{
    private static readonly string[] FilesAbove = ["Directory.Build.props", "Directory.Packages.props", "global.json"];
    private readonly SortedSet<string> _files = new(StringComparer.Ordinal);

    private ProjectInputs(string projectFile) => ProjectFile = projectFile;

    /// <summary>The project file, absolute.</summary>
    public string ProjectFile { get; }

    /// <summary>
    /// The inputs of <paramref name="projectFile"/>; adds to <paramref name="refused"/> why each one that is a named pipe,
    /// device or socket (or a link to one) cannot be read, without having opened it. Dangling links are left out.
    /// </summary>
    public static ProjectInputs Of(string projectFile, ICollection<string> refused)
    {
        var inputs = new ProjectInputs(Path.GetFullPath(projectFile));
        inputs.Collect(inputs.ProjectFile, new HashSet<string>(StringComparer.Ordinal), refused);
        foreach (var name in FilesAbove)
        {
            for (var dir = Path.GetDirectoryName(inputs.ProjectFile); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, name);
                if (CodeFiles.Check(candidate, refused) == LocalFileType.File)
                {
                    inputs._files.Add(candidate);
                }
            }
        }

        return inputs;
    }

    /// <summary>A hash of every input's path and content: the publish cache's key.</summary>
    public string ContentHash() => CodeFiles.ContentHash(_files);

    private void Collect(string projectFile, HashSet<string> seen, ICollection<string> refused)
    {
        // A referenced project that does not exist is the build's to report.
        var type = LocalFiles.TypeOf(projectFile);
        if (!seen.Add(projectFile) || type is LocalFileType.Missing or LocalFileType.Directory)
        {
            return;
        }

        var folder = Path.GetDirectoryName(projectFile)!;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var segments = Path.GetRelativePath(folder, file).Split(Path.DirectorySeparatorChar);
            if (segments[0] == "node_modules" || segments[..^1].Any(s => s is "bin" or "obj"))
            {
                continue;
            }

            if (CodeFiles.Check(file, refused) == LocalFileType.File)
            {
                _files.Add(file);
            }
        }

        // A project file that is not a file was refused with its folder's other files: it is never opened.
        if (type != LocalFileType.File)
        {
            return;
        }

        XDocument document;
        try
        {
            document = XDocument.Load(projectFile);
        }
        catch (XmlException e)
        {
            // As MSBuild would refuse it, but before anything is built, with the function that names it.
            refused.Add($"'{projectFile}' is not a project file MSBuild can read: {e.Message}");
            return;
        }

        var references = document.Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => e.Attribute("Include")?.Value)
            .OfType<string>();
        foreach (var reference in references)
        {
            Collect(Path.GetFullPath(Path.Combine(folder, reference.Replace('\\', '/'))), seen, refused);
        }
    }
}
