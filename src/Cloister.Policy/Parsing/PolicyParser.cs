using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Policy.Evaluation;
using Cloister.Policy.Matching;

namespace Cloister.Policy.Parsing;

/// <summary>
/// Reads a policy document the way IAM's validator does: it walks the whole document, records every
/// problem with its JSON path, and compiles only a document with none. Never throws for bad input.
/// </summary>
internal sealed partial class PolicyParser
{
    /// <summary>The nesting no valid policy exceeds (document, statement, condition, operator, values).</summary>
    private const int MaxDepth = 16;

    /// <summary>IAM's own wording (MalformedPolicyDocument) for a Resource ARN without a service or with a wildcard in it.</summary>
    private const string UnqualifiedVendor = "Resource vendor must be fully qualified and cannot contain regexes.";

    /// <summary>IAM's own wording for a statement without actions (no Action or NotAction, or an empty list).</summary>
    private const string NoActions = "Policy statement must contain actions.";

    /// <summary>IAM's own wording for a statement without resources (no Resource or NotResource, or an empty list).</summary>
    private const string NoResources = "Policy statement must contain resources.";

    private static readonly string[] DocumentElements = ["Version", "Id", "Statement"];
    private static readonly string[] StatementElements = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    private readonly PolicyParseOptions _options;
    private readonly ImmutableArray<PolicyProblem>.Builder _problems = ImmutableArray.CreateBuilder<PolicyProblem>();
    private bool _variables;

    private PolicyParser(PolicyParseOptions options) => _options = options;

    public static PolicyParseResult Parse(string? json, PolicyParseOptions options)
    {
        var parser = new PolicyParser(options);
        var policy = parser.ParseDocument(json);
        return parser._problems.Count == 0 && policy is not null
            ? new PolicyParseResult(policy, [])
            : new PolicyParseResult(null, parser._problems.ToImmutable());
    }

    private void Problem(string path, string message) => _problems.Add(new PolicyProblem(path, message));

    private Policy? ParseDocument(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            Problem(string.Empty, "Syntax errors in policy: the document is empty.");
            return null;
        }

        if (_options.SizeProblem(json) is { } tooLong)
        {
            Problem(string.Empty, tooLong);
        }

        if (HasLoneSurrogate(json))
        {
            Problem(string.Empty, "Syntax errors in policy: the text holds an unpaired UTF-16 surrogate.");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            Problem(string.Empty, $"Syntax errors in policy (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).");
            return null;
        }

        using (document)
        {
            try
            {
                return ParseRoot(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // JsonElement.GetString throws this, and only this, for an escaped unpaired surrogate (\ud800).
                Problem(string.Empty, "Syntax errors in policy: a string holds an escaped unpaired UTF-16 surrogate.");
                return null;
            }
        }
    }

    private Policy? ParseRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem(string.Empty, "Policy document must be a JSON object.");
            return null;
        }

        CheckElements(root, string.Empty, DocumentElements, "policy");
        var version = "2008-10-17";
        if (root.TryGetProperty("Version", out var versionElement)
            && !(versionElement.ValueKind == JsonValueKind.String && versionElement.GetString() is "2012-10-17" or "2008-10-17"))
        {
            Problem("Version", "The policy must contain a valid version string: 2012-10-17 or 2008-10-17.");
        }
        else
        {
            version = versionElement.ValueKind == JsonValueKind.String ? versionElement.GetString()! : version;
            if (_options.RequiresCurrentVersion && version != "2012-10-17")
            {
                // IAM's own wording, for a managed policy that names 2008-10-17 or no version.
                Problem(versionElement.ValueKind == JsonValueKind.Undefined ? string.Empty : "Version", "Policy document must be version 2012-10-17 or greater.");
            }
        }

        _variables = version == "2012-10-17";
        string? id = null;
        if (root.TryGetProperty("Id", out var idElement))
        {
            if (idElement.ValueKind == JsonValueKind.String)
            {
                id = idElement.GetString();
            }
            else
            {
                Problem("Id", "must be a string.");
            }
        }

        if (!root.TryGetProperty("Statement", out var statementElement))
        {
            Problem(string.Empty, "Missing required field Statement.");
            return null;
        }

        var statements = new List<CompiledStatement>();
        var sids = new HashSet<string>(StringComparer.Ordinal);
        switch (statementElement.ValueKind)
        {
            case JsonValueKind.Object:
                Add(ParseStatement(statementElement, "Statement", 0, sids));
                break;
            case JsonValueKind.Array when statementElement.GetArrayLength() == 0:
                Problem("Statement", "Policy must contain at least one statement.");
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in statementElement.EnumerateArray())
                {
                    Add(ParseStatement(item, $"Statement[{index}]", index, sids));
                    index++;
                }

                break;
            default:
                Problem("Statement", "must be an object or an array of objects.");
                break;
        }

        return _problems.Count == 0 ? new Policy(version, id, [.. statements]) : null;

        void Add(CompiledStatement? statement)
        {
            if (statement is not null)
            {
                statements.Add(statement);
            }
        }
    }

    private CompiledStatement? ParseStatement(JsonElement element, string path, int index, HashSet<string> sids)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Problem(path, "A statement must be a JSON object.");
            return null;
        }

        var before = _problems.Count;
        CheckElements(element, path, StatementElements, "statement");

        string? sid = null;
        if (element.TryGetProperty("Sid", out var sidElement))
        {
            if (sidElement.ValueKind != JsonValueKind.String)
            {
                Problem($"{path}.Sid", "must be a string.");
            }
            else if (_options.AlphanumericSids && (sid = sidElement.GetString()!).AsSpan().ContainsAnyExcept(SidChars))
            {
                // IAM's own wording (MalformedPolicyDocument).
                Problem($"{path}.Sid", "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
            }
            else if ((sid = sidElement.GetString()!).Length > 0 && !sids.Add(sid))
            {
                Problem($"{path}.Sid", $"Statement IDs (SID) in a single policy must be unique; '{sid}' is repeated.");
            }
        }

        var effect = Effect.Allow;
        if (!element.TryGetProperty("Effect", out var effectElement))
        {
            Problem(path, "Missing required field Effect.");
        }
        else if (effectElement.ValueKind == JsonValueKind.String && effectElement.GetString() is "Allow" or "Deny")
        {
            effect = effectElement.GetString() == "Allow" ? Effect.Allow : Effect.Deny;
        }
        else
        {
            Problem($"{path}.Effect", "Invalid effect: must be \"Allow\" or \"Deny\".");
        }

        var (principal, notPrincipal) = ParsePrincipalElements(element, path);
        var (actionsElement, notAction) = Either(element, path, "Action", "NotAction", NoActions, required: true);
        var actions = actionsElement is { } a ? ParseActions(a, $"{path}.{(notAction ? "NotAction" : "Action")}") : [];
        var (resourcesElement, notResource) = Either(element, path, "Resource", "NotResource", NoResources, required: true);
        var resources = resourcesElement is { } r ? ParseResources(r, $"{path}.{(notResource ? "NotResource" : "Resource")}") : [];
        var conditions = element.TryGetProperty("Condition", out var conditionElement)
            ? ParseConditions(conditionElement, $"{path}.Condition")
            : [];

        if (_problems.Count > before)
        {
            return null;
        }

        return new CompiledStatement
        {
            Index = index,
            Sid = string.IsNullOrEmpty(sid) ? null : sid,
            Effect = effect,
            Principal = principal,
            NotPrincipal = notPrincipal,
            Actions = actions,
            NotAction = notAction,
            Resources = resources,
            NotResource = notResource,
            Conditions = conditions,
        };
    }

    /// <summary>Reads exactly one of a pair of elements (Action/NotAction...); records a problem for both or, when required, neither.</summary>
    private (JsonElement? Element, bool Negated) Either(JsonElement statement, string path, string name, string notName, string missing, bool required)
    {
        var hasPlain = statement.TryGetProperty(name, out var plain);
        var hasNot = statement.TryGetProperty(notName, out var not);
        if (hasPlain && hasNot)
        {
            Problem(path, $"A statement must not contain both {name} and {notName}.");
            return (null, false);
        }

        if (!hasPlain && !hasNot)
        {
            if (required)
            {
                Problem(path, missing);
            }

            return (null, false);
        }

        return hasPlain ? (plain, false) : (not, true);
    }

    /// <summary>Reports duplicate names and, when <paramref name="known"/> is given, names not in it.</summary>
    private void CheckElements(JsonElement element, string path, string[]? known, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var where = Join(path, property.Name);
            if (!seen.Add(property.Name))
            {
                Problem(where, "Duplicate element.");
            }
            else if (known is not null && Array.IndexOf(known, property.Name) < 0)
            {
                Problem(where, $"Unknown {what} element.");
            }
        }
    }

    /// <summary>
    /// Reads a string-or-array-of-strings element; records a problem for each entry of the wrong type, and
    /// <paramref name="empty"/> (or a generic one) for an empty array.
    /// </summary>
    private List<(string Value, string Path)> ReadStrings(JsonElement element, string path, string? empty = null)
    {
        var values = new List<(string, string)>();
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                values.Add((element.GetString()!, path));
                break;
            case JsonValueKind.Array when element.GetArrayLength() == 0:
                Problem(path, empty ?? "must not be an empty array.");
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        values.Add((item.GetString()!, $"{path}[{i}]"));
                    }
                    else
                    {
                        Problem($"{path}[{i}]", "must be a string.");
                    }

                    i++;
                }

                break;
            default:
                Problem(path, "must be a string or an array of strings.");
                break;
        }

        return values;
    }

    private ActionPattern[] ParseActions(JsonElement element, string path)
    {
        var actions = new List<ActionPattern>();
        foreach (var (value, where) in ReadStrings(element, path, NoActions))
        {
            if (value == "*")
            {
                actions.Add(new ActionPattern(value));
                continue;
            }

            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == value.Length - 1)
            {
                // IAM's own wording.
                Problem(where, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            }
            else if (value.IndexOf(':', colon + 1) >= 0)
            {
                // IAM's own wording; the usual cause is an ARN written in Action.
                Problem(where, "Actions/Condition can contain only one colon.");
            }
            else if (value.AsSpan(0, colon).IndexOfAny('*', '?') >= 0)
            {
                // IAM's wording, as CreatePolicy answers "*:Untag*" (MalformedPolicyDocument).
                Problem(where, $"Action vendors (e.g., aws, ec2, etc.) must not contain wildcards: '{value}'.");
            }
            else if (value.AsSpan(0, colon).ContainsAnyExcept(ActionVendorChars))
            {
                // IAM's own wording: a vendor is letters, digits, hyphens and dots.
                Problem(where, $"Vendor {value[..colon]} is not valid");
            }
            else
            {
                actions.Add(new ActionPattern(value));
            }
        }

        return [.. actions];
    }

    private ArnPattern[] ParseResources(JsonElement element, string path)
    {
        var resources = new List<ArnPattern>();
        foreach (var (value, where) in ReadStrings(element, path, NoResources))
        {
            var text = value;
            if (value.StartsWith("execute-api:", StringComparison.Ordinal))
            {
                if (_options.Api is null)
                {
                    Problem(where, $"'{value}' uses the execute-api shorthand, which needs the API's region, account and id.");
                    continue;
                }

                if (!value.AsSpan("execute-api:".Length).StartsWith('/'))
                {
                    Problem(where, $"'{value}': the execute-api shorthand is execute-api:/{{stage}}/{{METHOD}}/{{path}}.");
                    continue;
                }

                text = _options.Api.ArnPrefix + value["execute-api:".Length..];
            }
            else if (value != "*" && ArnProblem(value) is { } problem)
            {
                Problem(where, problem);
                continue;
            }

            resources.Add(new ArnPattern(TemplateText.Parse(text, _variables)));
        }

        return [.. resources];
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why a Resource is not an ARN IAM takes, in IAM's words; null when it is. IAM takes <c>arn:PARTITION:SERVICE</c> followed by
    /// anything, ARNs with fewer than six parts included (<c>arn:aws:execute-api:*</c>, whose trailing <c>*</c> expands beyond the
    /// colons, <see cref="ResourceMatcher"/>), but the service must be named in full: IAM refuses <c>arn:aws</c>, an empty
    /// service and a wildcard in it (the policy reference: "You cannot use a wildcard in the service segment"), and an IAM
    /// ARN with a region.
    /// </summary>
    private static string? ArnProblem(string value)
    {
        if (!value.StartsWith("arn:", StringComparison.Ordinal))
        {
            return $"Resource {value} must be in ARN format or \"*\".";
        }

        var afterPartition = value.AsSpan("arn:".Length);
        var colon = afterPartition.IndexOf(':');
        if (colon < 0)
        {
            return UnqualifiedVendor;
        }

        var fromService = afterPartition[(colon + 1)..];
        var end = fromService.IndexOf(':');
        var service = end < 0 ? fromService : fromService[..end];
        if (service.IsEmpty || service.IndexOfAny('*', '?') >= 0)
        {
            return UnqualifiedVendor;
        }

        var afterService = end < 0 ? default : fromService[(end + 1)..];
        var regionEnd = afterService.IndexOf(':');
        var region = regionEnd < 0 ? afterService : afterService[..regionEnd];

        // IAM's own wording: IAM is global, so its ARNs leave the region empty (arn:aws:iam::ACCOUNT:role/NAME).
        return service.SequenceEqual("iam") && !region.IsEmpty
            ? $"IAM resource {value} cannot contain region information."
            : null;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static readonly System.Buffers.SearchValues<char> SidChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static readonly System.Buffers.SearchValues<char> ActionVendorChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.");
}
