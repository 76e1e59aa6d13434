namespace Cloister.Templates;

/// <summary>What a function's local code is, as found on disk; tells the deployer how to make it runnable.</summary>
public enum CodeKind
{
    /// <summary>Inline source in the template (<c>Code.ZipFile</c> or SAM <c>InlineCode</c>); runs as written.</summary>
    Inline,

    /// <summary>A .zip (or .jar) archive, unpacked as Lambda would.</summary>
    ZipArchive,

    /// <summary>A folder with a .NET project file: the deployer publishes it (ReadyToRun) into a <c>bootstrap</c>.</summary>
    DotNetProject,

    /// <summary>A folder with <c>package.json</c>: the deployer runs <c>npm ci</c>/<c>npm install</c> when <c>node_modules</c> is missing.</summary>
    NodeProject,

    /// <summary>A folder of Python code (<c>*.py</c> or <c>requirements.txt</c>).</summary>
    PythonProject,

    /// <summary>Any other folder, used as it is (a prebuilt <c>bootstrap</c>, for instance).</summary>
    Folder,
}
