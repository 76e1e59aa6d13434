using System.Collections.Immutable;
using System.Text;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// Runs a parsed template once: walks the tree with the request's variables, writing to one builder.
/// Bounded as API Gateway bounds templates: 1,000 iterations per <c>#foreach</c>, and the output's size.
/// </summary>
internal sealed partial class VtlRenderer
{
    /// <summary>API Gateway stops a <c>#foreach</c> after this many iterations.</summary>
    public const int MaxIterations = 1_000;

    /// <summary>A rendered body may not exceed the payload limit.</summary>
    public const int MaxOutput = 10 * 1024 * 1024;

    private readonly Dictionary<string, object?> _variables;
    private StringBuilder _output;
    private bool _stopped;
    private bool _breaking;
    private int _steps;

    public VtlRenderer(Dictionary<string, object?> variables, StringBuilder output)
    {
        _variables = variables;
        _output = output;
    }

    public void Render(ImmutableArray<VtlNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (_stopped || _breaking)
            {
                return;
            }

            Execute(node);
            if (_output.Length > MaxOutput)
            {
                throw new VtlException("The template's output is larger than 10 MB.");
            }
        }
    }

    private void Execute(VtlNode node)
    {
        // A bound on work done, whatever the template's shape (nested loops multiply).
        if (++_steps > 1_000_000)
        {
            throw new VtlException("The template does too much work.");
        }

        switch (node)
        {
            case VtlNode.Text text:
                _output.Append(text.Value);
                break;
            case VtlNode.Reference reference:
                WriteReference(reference);
                break;
            case VtlNode.Set set:
                Assign(set.Target, Evaluate(set.Value));
                break;
            case VtlNode.If branch:
                foreach (var (condition, body) in branch.Branches)
                {
                    if (VtlValues.IsTrue(Evaluate(condition)))
                    {
                        Render(body);
                        return;
                    }
                }

                Render(branch.Else);
                break;
            case VtlNode.Foreach loop:
                RunForeach(loop);
                break;
            case VtlNode.Break:
                _breaking = true;
                break;
            case VtlNode.Stop:
                _stopped = true;
                break;
        }
    }

    private void WriteReference(VtlNode.Reference reference)
    {
        var value = Evaluate(reference.Expression);
        if (value is not null)
        {
            VtlValues.Append(_output, value);
        }
        else if (!reference.Quiet && !_variables.ContainsKey(reference.Root))
        {
            // Velocity prints a reference to an undefined variable as written; API Gateway's own variables
            // (and variables that were set) print nothing when a value is missing (docs/gateway.md).
            _output.Append(reference.Source);
        }
    }

    private void RunForeach(VtlNode.Foreach loop)
    {
        var items = Evaluate(loop.Items) switch
        {
            List<object?> list => list.ToArray(),
            OrderedDictionary<string, object?> map => map.Values.ToArray(),
            IVtlObject other when other.TryInvoke("values", [], out var values) && values is List<object?> list => list.ToArray(),
            string text => [text],
            null => [],
            var single => [single],
        };
        var hadVariable = _variables.TryGetValue(loop.Variable, out var previous);
        var hadForeach = _variables.TryGetValue("foreach", out var outerForeach);
        var state = new ForeachVariable(items.Length);
        _variables["foreach"] = state;
        try
        {
            for (var i = 0; i < items.Length && i < MaxIterations && !_stopped; i++)
            {
                state.Index = i;
                _variables[loop.Variable] = items[i];
                _variables["velocityCount"] = (long)(i + 1);
                Render(loop.Body);
                if (_breaking)
                {
                    _breaking = false;
                    break;
                }
            }
        }
        finally
        {
            Restore(loop.Variable, hadVariable, previous);
            Restore("foreach", hadForeach, outerForeach);
            _variables.Remove("velocityCount");
        }
    }

    private void Restore(string name, bool had, object? value)
    {
        if (had)
        {
            _variables[name] = value;
        }
        else
        {
            _variables.Remove(name);
        }
    }

    private void Assign(VtlExpr target, object? value)
    {
        switch (target)
        {
            case VtlExpr.Variable variable:
                // Velocity 1.7 leaves the variable unchanged when the value is null; API Gateway templates rely on
                // "#set($x = $input.path('$.missing'))" making $x empty rather than stale, so null is stored.
                _variables[variable.Name] = value;
                break;
            case VtlExpr.Property property:
                SetProperty(Evaluate(property.Target), property.Name, value);
                break;
            case VtlExpr.Index index:
                SetIndex(Evaluate(index.Target), Evaluate(index.Key), value);
                break;
        }
    }

    private static void SetProperty(object? target, string name, object? value)
    {
        switch (target)
        {
            case OrderedDictionary<string, object?> map:
                map[name] = value;
                break;
            case IVtlObject builtin:
                builtin.TrySetProperty(name, value);
                break;
        }
    }

    private static void SetIndex(object? target, object? key, object? value)
    {
        switch (target)
        {
            case OrderedDictionary<string, object?> map when key is not null:
                map[VtlValues.ToText(key)] = value;
                break;
            case List<object?> list when key is long index && index >= 0 && index < list.Count:
                list[(int)index] = value;
                break;
        }
    }

    public object? Evaluate(VtlExpr expression)
    {
        switch (expression)
        {
            case VtlExpr.Literal literal:
                return literal.Value;
            case VtlExpr.Variable variable:
                return _variables.GetValueOrDefault(variable.Name);
            case VtlExpr.Property property:
                return GetProperty(Evaluate(property.Target), property.Name);
            case VtlExpr.Call call:
                {
                    var target = Evaluate(call.Target);
                    var arguments = new object?[call.Arguments.Length];
                    for (var i = 0; i < arguments.Length; i++)
                    {
                        arguments[i] = Evaluate(call.Arguments[i]);
                    }

                    return Invoke(target, call.Name, arguments);
                }

            case VtlExpr.Index index:
                return GetIndex(Evaluate(index.Target), Evaluate(index.Key));
            case VtlExpr.Interpolated interpolated:
                {
                    // The same renderer (so the same work budget), writing into the string for a moment.
                    var outer = _output;
                    _output = new StringBuilder();
                    try
                    {
                        Render(interpolated.Parts);
                        return _output.ToString();
                    }
                    finally
                    {
                        _output = outer;
                    }
                }

            case VtlExpr.List list:
                {
                    var items = new List<object?>(list.Items.Length);
                    foreach (var item in list.Items)
                    {
                        items.Add(Evaluate(item));
                    }

                    return items;
                }

            case VtlExpr.Range range:
                return Range(Evaluate(range.From), Evaluate(range.To));
            case VtlExpr.Map map:
                {
                    var entries = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (key, value) in map.Entries)
                    {
                        entries[VtlValues.ToText(Evaluate(key))] = Evaluate(value);
                    }

                    return entries;
                }

            case VtlExpr.Unary unary:
                {
                    var operand = Evaluate(unary.Operand);
                    if (unary.Operator == '!')
                    {
                        return !VtlValues.IsTrue(operand);
                    }

                    return operand switch
                    {
                        long integer => -integer,
                        double real => -real,
                        _ => null,
                    };
                }

            case VtlExpr.Binary binary:
                return EvaluateBinary(binary);
            default:
                return null;
        }
    }

    private object? EvaluateBinary(VtlExpr.Binary binary)
    {
        if (binary.Operator == "&&")
        {
            return VtlValues.IsTrue(Evaluate(binary.Left)) && VtlValues.IsTrue(Evaluate(binary.Right));
        }

        if (binary.Operator == "||")
        {
            return VtlValues.IsTrue(Evaluate(binary.Left)) || VtlValues.IsTrue(Evaluate(binary.Right));
        }

        var left = Evaluate(binary.Left);
        var right = Evaluate(binary.Right);
        switch (binary.Operator)
        {
            case "==":
                return VtlValues.AreEqual(left, right);
            case "!=":
                return !VtlValues.AreEqual(left, right);
            case "<":
                return VtlValues.Compare(left, right) is { } lt && lt < 0;
            case "<=":
                return VtlValues.Compare(left, right) is { } le && le <= 0;
            case ">":
                return VtlValues.Compare(left, right) is { } gt && gt > 0;
            case ">=":
                return VtlValues.Compare(left, right) is { } ge && ge >= 0;
        }

        if (binary.Operator == "+" && (left is string || right is string))
        {
            return left is null || right is null ? null : VtlValues.ToText(left) + VtlValues.ToText(right);
        }

        if (left is long a && right is long b)
        {
            return binary.Operator switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" => b == 0 ? null : a / b,
                "%" => b == 0 ? null : a % b,
                _ => null,
            };
        }

        if (VtlValues.TryNumber(left, out var x) && VtlValues.TryNumber(right, out var y))
        {
            return binary.Operator switch
            {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "/" => y == 0 ? null : x / y,
                "%" => y == 0 ? null : x % y,
                _ => null,
            };
        }

        return null;
    }

    private static List<object?>? Range(object? from, object? to)
    {
        if (from is not long start || to is not long end)
        {
            return null;
        }

        var count = Math.Abs(end - start) + 1;
        if (count > MaxIterations)
        {
            throw new VtlException($"A range of more than {MaxIterations} numbers.");
        }

        var step = end >= start ? 1 : -1;
        var items = new List<object?>((int)count);
        for (var i = 0L; i < count; i++)
        {
            items.Add(start + (i * step));
        }

        return items;
    }
}
