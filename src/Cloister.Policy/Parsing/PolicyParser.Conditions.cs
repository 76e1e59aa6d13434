using System.Globalization;
using System.Text.Json;
using Cloister.Policy.Conditions;
using Cloister.Policy.Evaluation;
using Cloister.Policy.Matching;

namespace Cloister.Policy.Parsing;

/// <summary>The Condition element: operators, keys and values, each value converted for its operator.</summary>
internal sealed partial class PolicyParser
{
    private CompiledCondition[] ParseConditions(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Problem(path, "must be an object of condition operators.");
            return [];
        }

        CheckElements(element, path, known: null, "condition operator");
        var conditions = new List<CompiledCondition>();
        foreach (var operatorProperty in element.EnumerateObject())
        {
            var where = $"{path}.{operatorProperty.Name}";
            if (!ConditionOperator.TryParse(operatorProperty.Name, out var op))
            {
                Problem(where, "unknown condition operator.");
                continue;
            }

            if (operatorProperty.Value.ValueKind != JsonValueKind.Object || !operatorProperty.Value.EnumerateObject().Any())
            {
                Problem(where, "must be an object of condition keys and values.");
                continue;
            }

            CheckElements(operatorProperty.Value, where, known: null, "condition key");
            foreach (var keyProperty in operatorProperty.Value.EnumerateObject())
            {
                var keyPath = $"{where}.{keyProperty.Name}";
                if (!IsConditionKey(keyProperty.Name))
                {
                    Problem(keyPath, "invalid condition key.");
                    continue;
                }

                var values = new List<ConditionValue>();
                foreach (var (text, at) in ReadConditionValues(keyProperty.Value, keyPath))
                {
                    if (ReadValue(op, text, at) is { } value)
                    {
                        values.Add(value);
                    }
                }

                if (values.Count > 0)
                {
                    conditions.Add(new CompiledCondition(op, ContextKey.Of(keyProperty.Name), [.. values]));
                }
            }
        }

        return [.. conditions];
    }

    /// <summary>
    /// <c>service:Name</c>, optionally <c>/tag-key</c>: no control characters, and a space only in the part after the
    /// first <c>/</c>, since tag keys may hold spaces (IAM's Tag reference names <c>Cost Center</c> as a common key).
    /// </summary>
    private static bool IsConditionKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[..slash];
        return name.Length > 0 && !name.AsSpan().ContainsAny(" \t\r\n") && !key.AsSpan().ContainsAnyInRange('\0', '\x1f');
    }

    /// <summary>A condition value is a string, number or boolean, or a non-empty array of them.</summary>
    private List<(string Text, string Path)> ReadConditionValues(JsonElement element, string path)
    {
        var values = new List<(string, string)>();
        if (element.ValueKind == JsonValueKind.Array)
        {
            if (element.GetArrayLength() == 0)
            {
                Problem(path, "must not be an empty array.");
            }

            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                AddScalar(item, $"{path}[{i++}]");
            }
        }
        else
        {
            AddScalar(element, path);
        }

        return values;

        void AddScalar(JsonElement item, string at)
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    values.Add((item.GetString()!, at));
                    break;
                case JsonValueKind.Number:
                    values.Add((item.GetRawText(), at));
                    break;
                case JsonValueKind.True:
                    values.Add(("true", at));
                    break;
                case JsonValueKind.False:
                    values.Add(("false", at));
                    break;
                default:
                    Problem(at, "a condition value must be a string, number or boolean.");
                    break;
            }
        }
    }

    private ConditionValue? ReadValue(ConditionOperator op, string text, string path)
    {
        switch (op.Family)
        {
            case OperatorFamily.Numeric:
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return new ConditionValue { Number = number };
                }

                Problem(path, $"'{text}' is not a number.");
                return null;
            case OperatorFamily.Date:
                if (PolicyDates.TryParse(text, out var ticks))
                {
                    return new ConditionValue { Ticks = ticks };
                }

                Problem(path, $"'{text}' is not an ISO 8601 date or epoch seconds.");
                return null;
            case OperatorFamily.Bool or OperatorFamily.Null:
                if (bool.TryParse(text, out var flag))
                {
                    return new ConditionValue { Flag = flag };
                }

                // A Bool value with a policy variable is read as true or false once the variable is resolved.
                if (_variables && op.AllowsVariables && TemplateText.Parse(text, variables: true) is { HasVariables: true } template)
                {
                    return new ConditionValue { Text = template };
                }

                Problem(path, $"'{text}' must be true or false.");
                return null;
            case OperatorFamily.Binary:
                var bytes = new byte[text.Length];
                if (Convert.TryFromBase64String(text, bytes, out var written))
                {
                    return new ConditionValue { Bytes = bytes[..written] };
                }

                Problem(path, $"'{text}' is not base64.");
                return null;
            case OperatorFamily.IpAddress:
                if (IpRange.TryParse(text, out var range))
                {
                    return new ConditionValue { Range = range };
                }

                Problem(path, $"'{text}' is not an IP address or CIDR block.");
                return null;
            default:
                return new ConditionValue { Text = TemplateText.Parse(text, _variables && op.AllowsVariables) };
        }
    }
}
