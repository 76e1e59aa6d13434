using Cloister.Tables.Expressions;

namespace Cloister.Tables.Access;

/// <summary>The top-level attribute names an expression reads or writes (names already substituted), for <c>dynamodb:Attributes</c>.</summary>
internal static class ExpressionNames
{
    public static void Collect(Condition condition, HashSet<string> names)
    {
        switch (condition)
        {
            case ComparisonCondition comparison:
                Collect(comparison.Left, names);
                Collect(comparison.Right, names);
                break;
            case BetweenCondition between:
                Collect(between.Value, names);
                Collect(between.Lower, names);
                Collect(between.Upper, names);
                break;
            case InCondition @in:
                Collect(@in.Value, names);
                foreach (var candidate in @in.Candidates)
                {
                    Collect(candidate, names);
                }

                break;
            case FunctionCondition function:
                foreach (var argument in function.Arguments)
                {
                    Collect(argument, names);
                }

                break;
            case LogicalCondition logical:
                Collect(logical.Left, names);
                if (logical.Right is not null)
                {
                    Collect(logical.Right, names);
                }

                break;
        }
    }

    public static void Collect(IEnumerable<UpdateAction> actions, HashSet<string> names)
    {
        foreach (var action in actions)
        {
            names.Add(action.Path.TopLevel);
            if (action.Value is not null)
            {
                Collect(action.Value, names);
            }
        }
    }

    public static void Collect(IEnumerable<DocumentPath> paths, HashSet<string> names)
    {
        foreach (var path in paths)
        {
            names.Add(path.TopLevel);
        }
    }

    private static void Collect(Operand operand, HashSet<string> names)
    {
        switch (operand)
        {
            case PathOperand path:
                names.Add(path.Path.TopLevel);
                break;
            case SizeOperand size:
                Collect(size.Argument, names);
                break;
            case UpdateOperand update:
                Collect(update.Left, names);
                Collect(update.Right, names);
                break;
        }
    }
}
