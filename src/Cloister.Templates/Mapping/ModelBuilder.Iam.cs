using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cloister.Model.Iam;
using Cloister.Policy;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Iam;
using Cloister.Templates.Nodes;
using IamPolicy = Cloister.Policy.Policy;

namespace Cloister.Templates.Mapping;

/// <summary>
/// IAM roles with every permissions policy that applies to them written out as JSON: their inline <c>Policies</c>, the
/// managed policies of <c>ManagedPolicyArns</c> (the templates' own, or Cloister's copy of AWS's), and the
/// <c>AWS::IAM::Policy</c>, <c>AWS::IAM::ManagedPolicy</c> and <c>AWS::IAM::RolePolicy</c> resources that name them.
/// Every document the templates write is checked as IAM checks it.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string RoleType = "AWS::IAM::Role";

    /// <summary>The IAM types folded into roles, besides the role itself (a property: <see cref="ModelledTypes"/> reads it while initializing).</summary>
    private static ImmutableArray<string> RolePolicyTypes => ["AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::RolePolicy"];

    /// <summary>IAM's size limit of a managed policy (whitespace outside strings not counted).</summary>
    private static readonly PolicyParseOptions ManagedPolicyOptions = new(PolicyKind.Identity, MaxCharacters: 6144) { RequiresCurrentVersion = true };

    /// <summary>IAM's size limit of a role's inline policies, which AWS counts together and Cloister counts one by one.</summary>
    private static readonly PolicyParseOptions InlinePolicyOptions = new(PolicyKind.Identity, MaxCharacters: 10240);

    private readonly List<IamRole> _roles = [];

    private void BuildRoles()
    {
        var customerManaged = new Dictionary<string, RolePolicy?>(StringComparer.Ordinal);
        var attachments = new List<Attachment>();
        foreach (var r in _all.Where(r => RolePolicyTypes.Contains(r.Type)).Select(Reader))
        {
            attachments.AddRange(StandalonePolicy(r, customerManaged));
        }

        var roles = OfType(RoleType).ToList();
        var roleNames = roles.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in attachments.Where(a => !roleNames.Contains(a.RoleName)))
        {
            orphan.Resource.WarningAt(orphan.At, orphan.Path, $"'{orphan.RoleName}' is not a role of these templates; Cloister attaches the policy to no role.");
        }

        foreach (var r in roles)
        {
            var policies = new List<RolePolicy>();
            var inline = r.Maps("Policies");
            for (var i = 0; i < inline.Length; i++)
            {
                var name = r.String(inline[i], "PolicyName", $"Policies[{i}].PolicyName", required: true);
                var document = PolicyDocument(r, inline[i], "PolicyDocument", $"Policies[{i}].PolicyDocument", InlinePolicyOptions);
                Attach(policies, name is null || document is null ? null : new RolePolicy(name, document));
            }

            foreach (var (arn, at, path) in r.StringItems(r.Resource.Properties, "ManagedPolicyArns", "ManagedPolicyArns"))
            {
                Attach(policies, ManagedPolicy(r, arn, at, path, customerManaged, "the role gets no permissions from it"));
            }

            foreach (var attachment in attachments.Where(a => a.RoleName == r.Id))
            {
                Attach(policies, attachment.Policy);
            }

            var boundary = r.String("PermissionsBoundary") is { } boundaryArn
                ? ManagedPolicy(r, boundaryArn, r.Node("PermissionsBoundary")!, "PermissionsBoundary", customerManaged, "the role's permissions are not bounded by it")
                : null;
            var roleArn = r.Resource.Attribute("Arn");
            _roles.Add(new IamRole(r.LogicalId, r.Id, roleArn, r.Resource.Attribute("RoleId"), [.. policies], boundary?.Document)
            {
                Tags = RoleTags(r),
                AssumeRolePolicy = AssumeRolePolicy(r, roleArn),
                MaxSessionDuration = SessionDuration(r),
            });
        }

        // A function's Role is checked where the function is built; an instance's profile is resolved before the roles are.
        foreach (var r in OfType("AWS::EC2::Instance"))
        {
            if (_instances.Find(i => i.Id == r.Id)?.InstanceProfileRole is not { } roleName)
            {
                continue;
            }

            if (_roles.Find(x => x.RoleName == roleName) is { } role)
            {
                if (!CheckInstanceRole(r, role))
                {
                    var index = _instances.FindIndex(i => i.Id == r.Id);
                    _instances[index] = _instances[index] with { InstanceProfileRoleAssumable = false };
                }
            }
            else
            {
                r.WarningAt(r.Node("IamInstanceProfile")!, "IamInstanceProfile", $"The profile's role '{roleName}' is not a role of these templates; Cloister cannot know its policies, so the instance's calls are not limited by identity-based policies.");
            }
        }

        CheckIntegrationRoles();
    }

    /// <summary>
    /// A role's <c>Tags</c>, which its sessions carry as <c>aws:PrincipalTag/KEY</c>. A role's tag keys ignore case (IAM user
    /// guide, "Tagging IAM resources": a role cannot have both Department and department), so a key given twice, in any
    /// case, keeps its last value.
    /// </summary>
    private static ImmutableDictionary<string, string> RoleTags(PropertyReader r)
    {
        var tags = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in NodeFactory.Items(r.Node("Tags")).OfType<MapNode>())
        {
            if (tag.GetString("Key") is { } key && tag.GetString("Value") is { } value)
            {
                tags[key] = value;
            }
        }

        return tags.ToImmutable();
    }

    /// <summary>
    /// An <c>AWS::IAM::ManagedPolicy</c> (recorded by its ARN for <c>ManagedPolicyArns</c>), <c>AWS::IAM::Policy</c> or
    /// <c>AWS::IAM::RolePolicy</c>, with the roles it names. Its policy is null when the document is not valid (reported).
    /// </summary>
    private static List<Attachment> StandalonePolicy(PropertyReader r, Dictionary<string, RolePolicy?> customerManaged)
    {
        var properties = r.Resource.Properties;
        var isManaged = r.Resource.Type == "AWS::IAM::ManagedPolicy";
        var name = isManaged ? r.Id : r.Required("PolicyName");
        var document = PolicyDocument(r, properties, "PolicyDocument", "PolicyDocument", isManaged ? ManagedPolicyOptions : InlinePolicyOptions);
        var policy = document is null ? null : new RolePolicy(name, document);
        if (isManaged)
        {
            customerManaged[r.Id] = policy;
        }

        if (r.Resource.Type == "AWS::IAM::RolePolicy")
        {
            return r.String("RoleName", required: true) is { } roleName ? [new Attachment(roleName, policy, r, r.Node("RoleName")!, "RoleName")] : [];
        }

        return [.. r.StringItems(properties, "Roles", "Roles").Select(role => new Attachment(role.Value, policy, r, role.At, role.Path))];
    }

    /// <summary>
    /// Adds a policy to a role's, replacing one of the same name where it stood: IAM attaches a managed policy once
    /// however often it is named, and keeps the last inline policy put under a name.
    /// </summary>
    private static void Attach(List<RolePolicy> policies, RolePolicy? policy)
    {
        if (policy is null)
        {
            return;
        }

        var index = policies.FindIndex(p => p.Name == policy.Name);
        if (index < 0)
        {
            policies.Add(policy);
        }
        else
        {
            policies[index] = policy;
        }
    }

    /// <summary>
    /// The managed policy an ARN names: one of the templates' <c>AWS::IAM::ManagedPolicy</c>, or an AWS managed policy
    /// Cloister has a copy of. Any other is a warning ending in <paramref name="consequence"/>: the template still
    /// deploys, without what that policy would give.
    /// </summary>
    private RolePolicy? ManagedPolicy(PropertyReader r, string arn, Node at, string path, Dictionary<string, RolePolicy?> customerManaged, string consequence)
    {
        if (customerManaged.TryGetValue(arn, out var own))
        {
            return own;
        }

        if (!ManagedPolicyArn.TryParse(arn, out var parsed))
        {
            r.ProblemAt(at, path, $"'{arn}' is not a managed policy ARN (arn:{account.Partition}:iam::aws:policy/NAME for AWS's, arn:{account.Partition}:iam::ACCOUNT:policy/NAME).");
            return null;
        }

        if (!parsed.IsAwsManaged)
        {
            r.WarningAt(at, path, $"The managed policy {arn} is not one of these templates (made outside them, or another account's); {consequence}.");
            return null;
        }

        if (AwsManagedPolicies.Find(parsed.Path, account.Partition) is { } document)
        {
            return new RolePolicy(arn, document);
        }

        var elsewhere = AwsManagedPolicies.PathOf(parsed.Path[(parsed.Path.LastIndexOf('/') + 1)..]);
        var hint = elsewhere != parsed.Path && AwsManagedPolicies.Find(elsewhere, account.Partition) is not null ? $" (AWS keeps a policy of that name at policy/{elsewhere})" : string.Empty;
        r.WarningAt(at, path, $"Cloister has no copy of AWS managed policy {arn}{hint}; {consequence}.");
        return null;
    }

    /// <summary>
    /// A policy document property (a map written in the template, or a string holding JSON) as compact JSON, checked as
    /// IAM checks it; each problem names the property, carries the document's JSON path and points where it was written.
    /// Null when the document is missing or not valid.
    /// </summary>
    private static string? PolicyDocument(PropertyReader r, MapNode owner, string key, string path, PolicyParseOptions options)
    {
        if (PropertyReader.Json(owner, key) is not { } json)
        {
            r.Problem(path, "is required.");
            return null;
        }

        var parsed = IamPolicy.Parse(json, options);
        foreach (var problem in parsed.Problems)
        {
            r.ProblemAt(NodeAt(owner.Get(key)!, problem.Path), path, "MalformedPolicyDocument: " + problem);
        }

        return parsed.IsValid ? json : null;
    }

    /// <summary>The node a policy problem's JSON path (<c>Statement[1].Condition.StringEqual</c>) leads to, or the deepest one on the way.</summary>
    private static Node NodeAt(Node document, string path)
    {
        var node = document;
        foreach (Match step in JsonPathStep().Matches(path))
        {
            Node? next = step.Groups[1].Success
                ? (node as MapNode)?.Get(step.Groups[1].Value)
                : node is ListNode list && int.TryParse(step.Groups[2].ValueSpan, out var index) && index < list.Items.Length ? list.Items[index] : null;
            if (next is null)
            {
                break;
            }

            node = next;
        }

        return node;
    }

    [GeneratedRegex(@"([^.\[\]]+)|\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex JsonPathStep();

    private PropertyReader Reader(EvaluatedResource resource) => new(resource, problems, Warnings);

    /// <summary>A policy of the templates that names a role it applies to (by name, as <c>Ref</c> gives a role), and where it does.</summary>
    private sealed record Attachment(string RoleName, RolePolicy? Policy, PropertyReader Resource, Node At, string Path);
}
