namespace Cloister.Templates;

/// <summary>A layer's local content as the deployer must prepare it (as <c>sam build</c> would).</summary>
/// <param name="StackName">The stack the layer belongs to.</param>
/// <param name="LogicalId">The layer's logical id.</param>
/// <param name="Property">The property that names the content as written (<c>Content</c>, or SAM's <c>ContentUri</c>).</param>
/// <param name="Path">The absolute path of the folder or archive.</param>
public sealed record LayerCode(string StackName, string LogicalId, string Property, string Path)
{
    /// <summary>
    /// The layer's <c>Metadata.BuildMethod</c> (a runtime such as <c>nodejs20.x</c>, or <c>makefile</c>), which tells
    /// <c>sam build</c> to build it; null when not given.
    /// </summary>
    public string? BuildMethod { get; init; }
}
