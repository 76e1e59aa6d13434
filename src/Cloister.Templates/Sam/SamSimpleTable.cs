using System.Collections.Immutable;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary><c>AWS::Serverless::SimpleTable</c>: a DynamoDB table with one hash key (<c>id</c>, a string, unless PrimaryKey says otherwise).</summary>
internal static class SamSimpleTable
{
    public const string Type = "AWS::Serverless::SimpleTable";

    public static void Expand(MapEntry entry, MapNode resource, SamContext context, ImmutableArray<MapEntry>.Builder output)
    {
        var at = entry.KeyLocation;
        var props = context.WithGlobals("SimpleTable", resource.Get("Properties") as MapNode, at);
        var key = props.Get("PrimaryKey") as MapNode;
        var name = key?.Get("Name") ?? NodeFactory.Str("id", at);
        var typeText = key?.GetString("Type") ?? "String";
        var attributeType = typeText switch
        {
            "String" => "S",
            "Number" => "N",
            "Binary" => "B",
            _ => null,
        };
        if (attributeType is null)
        {
            context.Problem(entry.Key, "Properties.PrimaryKey.Type", $"'{typeText}' is not String, Number or Binary.", key!.Get("Type")!.Location);
        }

        var table = NodeFactory.Map(
            at,
            ("TableName", props.Get("TableName")),
            ("AttributeDefinitions", NodeFactory.List(at, NodeFactory.Map(at, ("AttributeName", name), ("AttributeType", NodeFactory.Str(attributeType ?? "S", at))))),
            ("KeySchema", NodeFactory.List(at, NodeFactory.Map(at, ("AttributeName", name), ("KeyType", NodeFactory.Str("HASH", at))))),
            ("BillingMode", props.Get("ProvisionedThroughput") is null ? NodeFactory.Str("PAY_PER_REQUEST", at) : null),
            ("ProvisionedThroughput", props.Get("ProvisionedThroughput")),
            ("SSESpecification", props.Get("SSESpecification")),
            ("PointInTimeRecoverySpecification", props.Get("PointInTimeRecoverySpecification")),
            ("Tags", props.Get("Tags") is MapNode tags ? SamResources.Tags(tags, at, createdBySam: false) : null));
        output.Add(SamResources.Resource(entry.Key, "AWS::DynamoDB::Table", table, at, resource));
    }
}
