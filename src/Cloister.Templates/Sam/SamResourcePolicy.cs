using Cloister.Model.Validation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// The resource policy SAM writes from <c>Auth.ResourcePolicy</c>: for each path of the API, an Allow and a
/// Deny pair per restriction (accounts, IP ranges, source VPCs and VPC endpoints), on
/// <c>execute-api:/{stage}/{METHOD}/{path}</c> with path parameters as <c>*</c>; then the CustomStatements.
/// Statements equal to one already present are not added twice, as in SAM.
/// </summary>
internal sealed class SamResourcePolicy(SamContext context, string apiId)
{
    private readonly List<Node> _statements = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public bool HasStatements => _statements.Count > 0;

    public void AddForPath(MapNode policy, string path, string[] methods, Node stage, SourceLocation at)
    {
        var resources = NodeFactory.List(at, methods.Select(m =>
        {
            var method = m is "any" or "x-amazon-apigateway-any-method" ? "*" : m.ToUpperInvariant();
            return (Node)NodeFactory.Sub("execute-api:/${__Stage__}/" + method + SamResources.ArnPath(path), NodeFactory.Map(at, ("__Stage__", stage)), at);
        }));

        if (policy.Get("AwsAccountWhitelist") is { } allowAccounts)
        {
            AddOne(Statement("Allow", resources, NodeFactory.Map(at, ("AWS", allowAccounts)), null, at));
        }

        if (policy.Get("AwsAccountBlacklist") is { } denyAccounts)
        {
            AddOne(Statement("Deny", resources, NodeFactory.Map(at, ("AWS", denyAccounts)), null, at));
        }

        if (Listed(policy.Get("IpRangeWhitelist")) is { } allowIps)
        {
            AddPair(resources, "NotIpAddress", NodeFactory.Map(at, ("aws:SourceIp", allowIps)), at);
        }

        if (Listed(policy.Get("IpRangeBlacklist")) is { } denyIps)
        {
            AddPair(resources, "IpAddress", NodeFactory.Map(at, ("aws:SourceIp", denyIps)), at);
        }

        AddVpcPair(policy, "SourceVpcBlacklist", "IntrinsicVpcBlacklist", "IntrinsicVpceBlacklist", "StringEquals", resources, at);
        AddVpcPair(policy, "SourceVpcWhitelist", "IntrinsicVpcWhitelist", "IntrinsicVpceWhitelist", "StringNotEquals", resources, at);
    }

    public void AddCustomStatements(Node? custom)
    {
        foreach (var statement in NodeFactory.Items(custom))
        {
            AddOne(statement);
        }
    }

    public MapNode Document(SourceLocation at) =>
        NodeFactory.Map(at, ("Version", NodeFactory.Str("2012-10-17", at)), ("Statement", new ListNode([.. _statements], at)));

    private void AddVpcPair(MapNode policy, string strings, string intrinsicVpcs, string intrinsicVpces, string conditional, ListNode resources, SourceLocation at)
    {
        var vpcs = new List<Node>();
        var vpces = new List<Node>();
        var literal = policy.Get(strings);
        foreach (var item in NodeFactory.Items(literal))
        {
            if (item is not ScalarNode s)
            {
                context.Problem(apiId, $"Properties.Auth.ResourcePolicy.{strings}", $"{strings} must be a list of strings. Use {intrinsicVpcs} or {intrinsicVpces} for values that use intrinsic functions.", item.Location);
                continue;
            }

            if (s.Value.StartsWith("vpce-", StringComparison.Ordinal))
            {
                vpces.Add(s);
            }
            else if (s.Value.StartsWith("vpc-", StringComparison.Ordinal))
            {
                vpcs.Add(s);
            }
        }

        vpcs.AddRange(NodeFactory.Items(policy.Get(intrinsicVpcs)));
        vpces.AddRange(NodeFactory.Items(policy.Get(intrinsicVpces)));
        if (vpcs.Count == 0 && vpces.Count == 0)
        {
            return;
        }

        var condition = NodeFactory.Map(
            at,
            ("aws:SourceVpc", vpcs.Count == 0 ? null : new ListNode([.. vpcs], at)),
            ("aws:SourceVpce", vpces.Count == 0 ? null : new ListNode([.. vpces], at)));
        AddPair(resources, conditional, condition, at);
    }

    private void AddPair(ListNode resources, string conditional, MapNode condition, SourceLocation at)
    {
        AddOne(Statement("Allow", resources, NodeFactory.Str("*", at), null, at));
        AddOne(Statement("Deny", resources, NodeFactory.Str("*", at), NodeFactory.Map(at, (conditional, condition)), at));
    }

    private static MapNode Statement(string effect, ListNode resources, Node principal, MapNode? condition, SourceLocation at) =>
        NodeFactory.Map(
            at,
            ("Effect", NodeFactory.Str(effect, at)),
            ("Action", NodeFactory.Str("execute-api:Invoke", at)),
            ("Resource", resources),
            ("Principal", principal),
            ("Condition", condition));

    private void AddOne(Node statement)
    {
        if (_seen.Add(NodeJson.Write(statement)))
        {
            _statements.Add(statement);
        }
    }

    private static ListNode? Listed(Node? value) => value switch
    {
        null => null,
        ListNode { Items.Length: 0 } => null,
        ListNode list => list,
        _ => NodeFactory.List(value.Location, value),
    };
}
