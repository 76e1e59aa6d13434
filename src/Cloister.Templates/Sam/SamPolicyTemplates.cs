using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>The SAM policy templates Cloister knows.</summary>
internal static class SamPolicyTemplates
{
    /// <summary>The parameters each template's statements substitute, which SAM requires.</summary>
    private static readonly Dictionary<string, string[]> Parameters = new(StringComparer.Ordinal)
    {
        ["DynamoDBCrudPolicy"] = ["TableName"],
        ["DynamoDBReadPolicy"] = ["TableName"],
        ["DynamoDBWritePolicy"] = ["TableName"],
        ["LambdaInvokePolicy"] = ["FunctionName"],
        ["VPCAccessPolicy"] = [],
        ["AWSSecretsManagerGetSecretValuePolicy"] = ["SecretArn"],
    };

    public static bool Expand(MapEntry template, out ListNode statements, out string error)
    {
        var at = template.KeyLocation;
        var args = template.Value as MapNode;
        error = string.Empty;
        statements = new ListNode([], at);
        if (Parameters.TryGetValue(template.Key, out var required) && MissingParameters(template, required) is { } missing)
        {
            // SAM's InvalidPolicyTemplate/InsufficientParameterValues; without this the statements' Fn::Sub reported an
            // unresolved reference 'TableName' at the generated role.
            error = missing;
            return false;
        }

        switch (template.Key)
        {
            case "DynamoDBCrudPolicy":
                statements = Table(args, at, "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem");
                break;
            case "DynamoDBReadPolicy":
                statements = Table(args, at, "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable");
                break;
            case "DynamoDBWritePolicy":
                statements = Table(args, at, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem");
                break;
            case "LambdaInvokePolicy":
                statements = Statement(at, ["lambda:InvokeFunction"], NodeFactory.Sub("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*", Args(args, at), at));
                break;
            case "VPCAccessPolicy":
                statements = Statement(at, ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface"], NodeFactory.Str("*", at));
                break;
            case "AWSSecretsManagerGetSecretValuePolicy":
                statements = Statement(at, ["secretsmanager:GetSecretValue"], NodeFactory.Sub("${SecretArn}", Args(args, at), at));
                break;
            default:
                error = $"The policy template '{template.Key}' is not known to Cloister; write the statements as a policy document instead.";
                return false;
        }

        return true;
    }

    private static string? MissingParameters(MapEntry template, string[] required)
    {
        var example = string.Join(", ", required.Select(p => p + ": ..."));
        if (template.Value is not (MapNode or ScalarNode { IsNull: true }))
        {
            return $"The policy template '{template.Key}' takes a map of parameters ({{ {example} }}), not {template.Value.KindName}.";
        }

        var args = template.Value as MapNode;
        var missing = required.Where(p => args?.Get(p) is null or ScalarNode { IsNull: true }).ToList();
        return missing.Count == 0 ? null
            : $"Must specify valid parameter values for policy template '{template.Key}'; missing: {string.Join(", ", missing)} (write {template.Key}: {{ {example} }}).";
    }

    private static MapNode Args(MapNode? args, SourceLocation at) => args ?? new MapNode([], at);

    private static ListNode Table(MapNode? args, SourceLocation at, params string[] actions)
    {
        var vars = Args(args, at);
        return Statement(
            at,
            actions,
            NodeFactory.Sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}", vars, at),
            NodeFactory.Sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*", vars, at));
    }

    private static ListNode Statement(SourceLocation at, string[] actions, params Node[] resources) =>
        NodeFactory.List(at, NodeFactory.Map(
            at,
            ("Effect", NodeFactory.Str("Allow", at)),
            ("Action", new ListNode([.. actions.Select(a => (Node)NodeFactory.Str(a, at))], at)),
            ("Resource", new ListNode([.. resources], at))));
}
