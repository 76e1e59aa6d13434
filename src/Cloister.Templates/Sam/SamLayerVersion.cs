using System.Collections.Immutable;
using Cloister.Templates.Code;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// <c>AWS::Serverless::LayerVersion</c>: an <c>AWS::Lambda::LayerVersion</c> whose <c>Content</c> is the local folder or
/// .zip <c>ContentUri</c> names, named after its logical id unless <c>LayerName</c> says otherwise (as SAM names it). It
/// keeps its logical id (SAM adds a hash of the content to it; nothing here tells versions apart), and
/// <c>RetentionPolicy</c> changes nothing, since nothing deletes a layer here.
/// </summary>
internal static class SamLayerVersion
{
    public const string Type = "AWS::Serverless::LayerVersion";

    public static void Expand(MapEntry entry, MapNode resource, SamContext context, ImmutableArray<MapEntry>.Builder output)
    {
        var at = entry.KeyLocation;
        var props = resource.Get("Properties") as MapNode ?? new MapNode([], at);
        var layer = ImmutableArray.CreateBuilder<MapEntry>();
        if (props.GetEntry("ContentUri") is { } contentUri)
        {
            if (contentUri.Value is ScalarNode { IsNull: false } local
                && (CodeLocator.Resolve(context.File, local.Value, out var error) is not { } path || CodeLocator.Classify(path, out error) is null))
            {
                context.Problem(entry.Key, "Properties.ContentUri", error, local.Location);
            }

            Node content = contentUri.Value is MapNode s3 && !s3.IsIntrinsic(out _, out _)
                ? NodeFactory.Map(contentUri.KeyLocation, ("S3Bucket", s3.Get("Bucket")), ("S3Key", s3.Get("Key")))
                : contentUri.Value;
            layer.Add(new MapEntry("Content", contentUri.KeyLocation, content) { WrittenAs = "ContentUri" });
        }
        else
        {
            context.Problem(entry.Key, "Properties.ContentUri", "A layer needs ContentUri (a local folder or .zip).", at);
        }

        layer.Add(props.GetEntry("LayerName") ?? new MapEntry("LayerName", at, NodeFactory.Str(entry.Key, at)));
        layer.AddRange(SamResources.Copy(props, "CompatibleRuntimes", "CompatibleArchitectures", "Description", "LicenseInfo"));
        output.Add(SamResources.Resource(entry.Key, "AWS::Lambda::LayerVersion", new MapNode(layer.ToImmutable(), at), at, resource));
    }
}
