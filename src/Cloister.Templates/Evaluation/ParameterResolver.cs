using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Cloister.Model.Network;
using Cloister.Model.Validation;
using Cloister.Templates.Nodes;
using Cloister.Templates.Parsing;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// Gives each parameter its value (the one passed, else its Default) and checks it against its Type,
/// AllowedValues, AllowedPattern, Min/MaxLength and Min/MaxValue, as CloudFormation does before it creates anything.
/// </summary>
internal static class ParameterResolver
{
    private static readonly ImmutableHashSet<string> Attributes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Type", "Default", "AllowedValues", "AllowedPattern", "MinLength", "MaxLength", "MinValue", "MaxValue",
        "NoEcho", "Description", "ConstraintDescription");

    /// <summary>EC2-specific types and the id prefix their values have.</summary>
    private static readonly ImmutableDictionary<string, string?> AwsTypes = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["AWS::EC2::VPC::Id"] = "vpc-",
        ["AWS::EC2::Subnet::Id"] = "subnet-",
        ["AWS::EC2::SecurityGroup::Id"] = "sg-",
        ["AWS::EC2::Instance::Id"] = "i-",
        ["AWS::EC2::Image::Id"] = "ami-",
        ["AWS::EC2::Volume::Id"] = "vol-",
        ["AWS::EC2::KeyPair::KeyName"] = null,
        ["AWS::EC2::SecurityGroup::GroupName"] = null,
        ["AWS::EC2::AvailabilityZone::Name"] = null,
        ["AWS::Route53::HostedZone::Id"] = "Z",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>CloudFormation's quota of parameters in one template.</summary>
    private const int MaxParameters = 200;

    /// <summary>
    /// CloudFormation's refusal of a value given for a parameter the template does not declare (CreateStack's
    /// ValidationError): "Parameters: [X] do not exist in the template", or, when the template declares none,
    /// "Parameter values specified for a template which does not require them." One problem per name, so each is
    /// told apart (<c>up</c> drops a value from the templates that do not declare it).
    /// </summary>
    public static string UndeclaredMessage(string name, bool templateDeclaresSome) =>
        templateDeclaresSome ? $"Parameters: [{name}] do not exist in the template" : "Parameter values specified for a template which does not require them.";

    public static void Resolve(MapNode? section, IReadOnlyDictionary<string, string> given, StackState state, SourceLocation fileStart)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var noEcho = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        if (section is not null && section.Entries.Length > MaxParameters)
        {
            state.Problem(TemplateProblems.Template, "Parameters", $"Template format error: Number of parameters, {section.Entries.Length}, is greater than maximum allowed, {MaxParameters}", section.Location);
        }

        foreach (var entry in section?.Entries ?? [])
        {
            declared.Add(entry.Key);
            if (LogicalNames.Problem("Parameter", entry.Key) is { } badName)
            {
                state.Problem(entry.Key, string.Empty, badName, entry.KeyLocation);
            }

            if (entry.Value is not MapNode definition)
            {
                state.Problem(entry.Key, string.Empty, $"A parameter must be a map with a Type, not {entry.Value.KindName}.", entry.KeyLocation);
                continue;
            }

            if (string.Equals(definition.GetString("NoEcho"), "true", StringComparison.OrdinalIgnoreCase))
            {
                noEcho.Add(entry.Key);
            }

            // A parameter in error still gets a value, so that its uses do not repeat the problem.
            state.Parameters[entry.Key] = Resolve(entry.Key, entry.KeyLocation, definition, given, state) ?? ScalarNode.String(string.Empty, entry.KeyLocation);
        }

        foreach (var name in given.Keys.Where(n => !declared.Contains(n)).Order(StringComparer.Ordinal))
        {
            state.Problem(name, string.Empty, UndeclaredMessage(name, declared.Count > 0), fileStart);
        }

        state.NoEchoParameters = noEcho.ToImmutable();
    }

    private static Node? Resolve(string name, SourceLocation at, MapNode definition, IReadOnlyDictionary<string, string> given, StackState state)
    {
        foreach (var attribute in definition.Entries.Where(e => !Attributes.Contains(e.Key)))
        {
            state.Problem(name, attribute.Key, $"Invalid template parameter property '{attribute.Key}'", attribute.KeyLocation);
        }

        var type = definition.GetString("Type");
        if (type is null)
        {
            state.Problem(name, "Type", "A parameter needs a Type.", at);
            return null;
        }

        var isList = IsListType(type);
        var ssmValueType = SsmParameters.ValueTypeOf(type);
        var elementType = type switch
        {
            "CommaDelimitedList" => "String",
            "List<Number>" => "Number",
            SsmParameters.NameType => "String",
            _ when ssmValueType is not null => ssmValueType,
            _ when type.StartsWith("List<", StringComparison.Ordinal) && type.EndsWith('>') => type[5..^1],
            _ => type,
        };
        if (elementType is not ("String" or "Number") && !AwsTypes.ContainsKey(elementType))
        {
            var where = definition.GetEntry("Type")!.Value.Location;
            // A type AWS has (AWS-specific, SSM) that Cloister does not check is said so; any other is CloudFormation's error.
            var message = type.StartsWith("AWS::", StringComparison.Ordinal) || type.StartsWith("List<AWS::", StringComparison.Ordinal)
                ? $"'{type}' is not a parameter type Cloister supports."
                : $"Template format error: Unrecognized parameter type: {type}";
            state.Problem(name, "Type", message, where);
            return null;
        }

        // The Default is read before anything is resolved: CloudFormation refuses a function there.
        if (definition.Get("Default") is MapNode functionDefault)
        {
            state.Problem(name, "Default", "Template format error: Every Default member must be a string.", functionDefault.Location);
            return null;
        }

        if (GivenOrDefault(name, definition, given) is not var (text, defaultAt))
        {
            state.Problem(name, string.Empty, $"Parameters: [{name}] must have values (it has no Default: give one with --param {name}=VALUE)", at);
            return null;
        }

        var valueAt = defaultAt ?? at;

        if (ssmValueType is not null)
        {
            if (!SsmParameters.TryResolve(text, ssmValueType, state.DeclaredSsmParameters, out var resolved))
            {
                state.Problem(name, "Type", $"'{text}' is a Systems Manager parameter the stacks do not declare; Cloister's Parameter Store starts from the templates, so it answers their AWS::SSM::Parameter resources and AWS's public /aws/service/ image parameters only. Declare it, or pass the value itself: --param {name}=VALUE.", valueAt);
                return null;
            }

            text = resolved;
        }

        string[] values = isList ? ListValues(text) : [text];

        // The messages name the parameter, not the value: the first element in error says all there is to say.
        var before = state.Problems.Count;
        foreach (var value in values.TakeWhile(_ => state.Problems.Count == before))
        {
            Check(name, value, elementType, definition, state, valueAt);
        }

        return isList
            ? new ListNode([.. values.Select(v => (Node)ScalarNode.String(v, valueAt))], valueAt)
            : ScalarNode.String(text, valueAt);
    }

    /// <summary>Whether a parameter of <paramref name="type"/> holds a list (its value is comma-separated).</summary>
    public static bool IsListType(string type) => type is "CommaDelimitedList" or "List<Number>" || type.StartsWith("List<AWS::", StringComparison.Ordinal);

    /// <summary>
    /// A parameter's text before any check: the value given for it, else its Default (a list Default joined with commas,
    /// with the Default's location); null when it has neither.
    /// </summary>
    public static (string Text, SourceLocation? DefaultAt)? GivenOrDefault(string name, MapNode definition, IReadOnlyDictionary<string, string> given)
    {
        if (given.TryGetValue(name, out var passed))
        {
            return (passed, null);
        }

        if (definition.Get("Default") is not { } defaultNode)
        {
            return null;
        }

        var text = defaultNode switch
        {
            ScalarNode s => s.Value,
            ListNode l => string.Join(',', l.Items.OfType<ScalarNode>().Select(s => s.Value)),
            _ => string.Empty,
        };
        return (text, defaultNode.Location);
    }

    /// <summary>A list parameter's values: its text split at commas and trimmed; none for empty text.</summary>
    public static string[] ListValues(string text) => text.Length == 0 ? [] : [.. text.Split(',').Select(v => v.Trim())];

    private static void Check(string name, string value, string type, MapNode definition, StackState state, SourceLocation at)
    {
        if (type == "Number" && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            state.Problem(name, "Type", $"Parameter '{name}' must be a number.", at);
        }

        if (AwsTypes.TryGetValue(type, out var prefix) && prefix is not null && !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            // CloudFormation looks the id up in the account; Cloister's sandbox starts empty, so it checks the id's shape.
            state.Problem(name, "Type", $"Parameter validation failed: parameter value {value} for parameter name {name} does not exist (an {type} starts with '{prefix}')", at);
        }

        if (type == "AWS::EC2::AvailabilityZone::Name" && AvailabilityZones.Of(state.Account.Region) is var zones && !zones.Contains(value, StringComparer.Ordinal))
        {
            // CloudFormation checks AWS-specific parameter values against the account before anything is created.
            state.Problem(name, "Type", $"Parameter validation failed: parameter value {value} for parameter name {name} does not exist (the Availability Zones of {state.Account.Region} are {string.Join(", ", zones)}).", at);
        }

        if (definition.Get("AllowedValues") is ListNode allowed && !allowed.Items.OfType<ScalarNode>().Any(a => a.Value == value))
        {
            var list = string.Join(", ", allowed.Items.OfType<ScalarNode>().Select(a => a.Value));
            state.Problem(name, "AllowedValues", Constraint(name, definition, $"Parameter '{name}' must be one of AllowedValues: {list}"), at);
        }

        if (definition.GetString("AllowedPattern") is { } pattern)
        {
            try
            {
                if (!Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                {
                    state.Problem(name, "AllowedPattern", Constraint(name, definition, $"Parameter '{name}' must match pattern {pattern}"), at);
                }
            }
            catch (ArgumentException)
            {
                state.Problem(name, "AllowedPattern", $"'{pattern}' is not a regular expression.", definition.GetEntry("AllowedPattern")!.KeyLocation);
            }
            catch (RegexMatchTimeoutException)
            {
                state.Problem(name, "AllowedPattern", $"The pattern {pattern} took too long to match.", at);
            }
        }

        CheckBound(name, "MinLength", definition, value.Length, (bound, actual) => actual >= bound, "must contain at least {0} characters", state, at);
        CheckBound(name, "MaxLength", definition, value.Length, (bound, actual) => actual <= bound, "must contain at most {0} characters", state, at);
        if (type == "Number" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            CheckBound(name, "MinValue", definition, number, (bound, actual) => actual >= bound, "must be a number not less than {0}", state, at);
            CheckBound(name, "MaxValue", definition, number, (bound, actual) => actual <= bound, "must be a number not greater than {0}", state, at);
        }
    }

    /// <summary>A MinLength, MaxLength, MinValue or MaxValue constraint; <paramref name="failing"/> says what it needs, {0} being the bound.</summary>
    private static void CheckBound(string name, string attribute, MapNode definition, double actual, Func<double, double, bool> ok, string failing, StackState state, SourceLocation at)
    {
        if (definition.GetString(attribute) is not { } text)
        {
            return;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
        {
            state.Problem(name, attribute, $"'{text}' is not a number.", definition.GetEntry(attribute)!.KeyLocation);
        }
        else if (!ok(bound, actual))
        {
            state.Problem(name, attribute, Constraint(name, definition, $"Parameter '{name}' " + string.Format(CultureInfo.InvariantCulture, failing, text)), at);
        }
    }

    /// <summary>
    /// CloudFormation's words for a broken constraint: its own, or with a ConstraintDescription that instead. Neither
    /// holds the value, which for a NoEcho parameter is a secret.
    /// </summary>
    private static string Constraint(string name, MapNode definition, string message) =>
        definition.GetString("ConstraintDescription") is { } description ? $"Parameter {name} failed to satisfy constraint: {description}" : message;
}
