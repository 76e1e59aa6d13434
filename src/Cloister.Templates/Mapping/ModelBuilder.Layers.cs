using System.Collections.Immutable;
using Cloister.Model.Compute;
using Cloister.Templates.Code;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Mapping;

/// <summary>Lambda layers (<c>AWS::Lambda::LayerVersion</c>) with their local content, and the layers each function lists.</summary>
internal sealed partial class ModelBuilder
{
    private readonly Dictionary<string, LayerVersion> _layers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LayerCode> _layerCode = new(StringComparer.Ordinal);

    private void BuildLayers()
    {
        foreach (var r in OfType("AWS::Lambda::LayerVersion"))
        {
            var contentPath = LayerContent(r);
            var arn = r.Id;
            var name = arn.Split(':') is { Length: >= 8 } parts ? parts[6] : r.LogicalId;
            if (contentPath is not null)
            {
                _layers[arn] = new LayerVersion(
                    r.LogicalId, name, arn, contentPath, r.Strings("CompatibleRuntimes"), r.Strings("CompatibleArchitectures"), r.String("Description"));
                _layerCode[arn] = new LayerCode(r.Resource.StackName, r.LogicalId, r.WrittenName("Content"), contentPath)
                {
                    BuildMethod = (r.Resource.Declaration.Get("Metadata") as MapNode)?.GetString("BuildMethod"),
                };
            }
        }
    }

    /// <summary>A layer's <c>Content</c>: a local folder or .zip, as <c>aws cloudformation package</c> takes it (SAM's <c>ContentUri</c>).</summary>
    private static string? LayerContent(PropertyReader r)
    {
        switch (r.Node("Content"))
        {
            case ScalarNode { IsNull: false } local:
                var path = CodeLocator.Resolve(r.Resource.Location.File, local.Value, out var error);
                if (path is null || CodeLocator.Classify(path, out error) is null)
                {
                    r.ProblemAt(local, "Content", error);
                    return null;
                }

                return path;
            case MapNode content when content.Get("S3Bucket") is not null:
                r.Problem("Content", $"Cloister reads no S3; give {r.WrittenName("Content")} as a local folder or .zip path (as before '{(r.WrittenName("Content") == "ContentUri" ? "sam package" : "aws cloudformation package")}').");
                return null;
            default:
                r.Problem("Content", "is required: a local folder or .zip path.");
                return null;
        }
    }

    /// <summary>
    /// A function's <c>Layers</c>, in order: at most five, each a layer of these templates (there is no network to fetch
    /// another account's or another deployment's layer from). A runtime a layer does not list among its
    /// <c>CompatibleRuntimes</c> is only a warning: Lambda takes the layer anyway, the list only filters ListLayers.
    /// </summary>
    private ImmutableArray<LayerVersion> FunctionLayers(PropertyReader r, string runtime)
    {
        var listed = r.StringItems(r.Resource.Properties, "Layers", "Layers").ToList();
        if (listed.Count > LayerVersion.MaxPerFunction)
        {
            r.Problem("Layers", $"A function can use at most {LayerVersion.MaxPerFunction} layers; this one lists {listed.Count}.");
        }

        var layers = ImmutableArray.CreateBuilder<LayerVersion>();
        foreach (var (arn, at, path) in listed)
        {
            if (!_layers.TryGetValue(arn, out var layer))
            {
                if (!_all.Any(x => x.Type == "AWS::Lambda::LayerVersion" && x.RefValue == arn))
                {
                    r.ProblemAt(at, path, $"{arn} is not a layer of these templates; Cloister has no network to fetch a layer from Lambda, so declare it here (AWS::Lambda::LayerVersion or AWS::Serverless::LayerVersion with local content).");
                }

                continue;
            }

            if (!layer.CompatibleRuntimes.IsDefaultOrEmpty && runtime.Length > 0 && !layer.CompatibleRuntimes.Contains(runtime))
            {
                r.WarningAt(at, path, $"The layer {arn} lists CompatibleRuntimes {string.Join(", ", layer.CompatibleRuntimes)}, not {runtime}; Lambda uses it anyway (the list only describes it), and so does Cloister.");
            }

            layers.Add(layer);
        }

        return layers.ToImmutable();
    }
}
