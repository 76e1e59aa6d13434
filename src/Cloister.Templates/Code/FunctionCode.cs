using System.Collections.Immutable;

namespace Cloister.Templates;

/// <summary>A function's code as the deployer must prepare it.</summary>
/// <param name="StackName">The stack the function belongs to.</param>
/// <param name="LogicalId">The function's logical id (after the SAM transform, the generated <c>AWS::Lambda::Function</c>'s).</param>
/// <param name="FunctionName">The function's name.</param>
/// <param name="Kind">What the code is.</param>
/// <param name="Path">The absolute path of the folder or archive; null for inline code.</param>
/// <param name="Runtime">The function's runtime.</param>
/// <param name="Handler">The function's handler, when it has one.</param>
public sealed record FunctionCode(string StackName, string LogicalId, string FunctionName, CodeKind Kind, string? Path, string Runtime, string? Handler)
{
    /// <summary>The layers the function lists, in order; a layer several functions list is in each.</summary>
    public ImmutableArray<LayerCode> Layers { get; init; } = [];
}
