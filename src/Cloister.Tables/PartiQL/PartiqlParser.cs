using System.Collections.Immutable;
using System.Globalization;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.PartiQL;

/// <summary>
/// A recursive-descent parser for the PartiQL DynamoDB accepts: <c>SELECT</c>, <c>INSERT INTO ... VALUE</c>,
/// <c>UPDATE ... SET / REMOVE ... WHERE ... [RETURNING]</c> and <c>DELETE FROM ... WHERE ... [RETURNING ALL OLD *]</c>.
/// Every fault is DynamoDB's ValidationException "Statement wasn't well formed, can't be processed: ...". Nesting is bounded.
/// </summary>
internal sealed class PartiqlParser
{
    private const int MaxDepth = 64;

    private readonly List<PartiqlToken> _tokens;
    private int _at;
    private int _parameters;
    private int _depth;

    private PartiqlParser(List<PartiqlToken> tokens) => _tokens = tokens;

    private PartiqlToken Current => _tokens[_at];

    public static DynamoDbException Malformed(string detail) =>
        DynamoDbException.Validation("Statement wasn't well formed, can't be processed: " + detail);

    public static PartiqlStatement Parse(string text)
    {
        var parser = new PartiqlParser(PartiqlLexer.Tokenize(text));
        var statement = parser.Statement();
        if (parser.Current.Kind != PartiqlTokenKind.End)
        {
            throw parser.Unexpected();
        }

        return statement with { ParameterCount = parser._parameters };
    }

    private PartiqlStatement Statement()
    {
        if (Accept("SELECT"))
        {
            return Select();
        }

        if (Accept("INSERT"))
        {
            Expect("INTO");
            var table = Name();
            Expect("VALUE");
            return new PartiqlStatement(PartiqlStatementKind.Insert, table, 0) { Value = Value() };
        }

        if (Accept("UPDATE"))
        {
            return Update();
        }

        if (Accept("DELETE"))
        {
            Expect("FROM");
            var table = Name();
            Expect("WHERE");
            var where = Expression();
            string? returning = null;
            if (Accept("RETURNING"))
            {
                Expect("ALL");
                Expect("OLD");
                ExpectSymbol("*");
                returning = "ALL_OLD";
            }

            return new PartiqlStatement(PartiqlStatementKind.Delete, table, 0) { Where = where, Returning = returning };
        }

        throw Current.Kind == PartiqlTokenKind.End ? Malformed("Unexpected end of statement") : Unexpected();
    }

    private PartiqlStatement Select()
    {
        var projection = ImmutableArray<PathNode>.Empty;
        if (!AcceptSymbol("*"))
        {
            var paths = ImmutableArray.CreateBuilder<PathNode>();
            do
            {
                paths.Add(Path(Name()));
            }
            while (AcceptSymbol(","));
            projection = paths.ToImmutable();
        }
        else
        {
            projection = default;
        }

        Expect("FROM");
        var table = Name();
        string? index = null;
        if (AcceptSymbol("."))
        {
            index = Name();
        }

        var statement = new PartiqlStatement(PartiqlStatementKind.Select, table, 0) { Index = index, Projection = projection };
        if (Accept("WHERE"))
        {
            statement = statement with { Where = Expression() };
        }

        if (Accept("ORDER"))
        {
            Expect("BY");
            var path = Path(Name());
            var descending = Accept("DESC");
            if (!descending)
            {
                Accept("ASC");
            }

            statement = statement with { OrderBy = path, Descending = descending };
        }

        return statement;
    }

    private PartiqlStatement Update()
    {
        var table = Name();
        var updates = ImmutableArray.CreateBuilder<KeyValuePair<PathNode, PartiqlNode?>>();
        while (true)
        {
            if (Accept("SET"))
            {
                do
                {
                    var path = Path(Name());
                    ExpectSymbol("=");
                    updates.Add(new(path, Additive()));
                }
                while (AcceptSymbol(","));
            }
            else if (Accept("REMOVE"))
            {
                do
                {
                    updates.Add(new(Path(Name()), null));
                }
                while (AcceptSymbol(","));
            }
            else
            {
                break;
            }
        }

        if (updates.Count == 0)
        {
            throw Unexpected();
        }

        Expect("WHERE");
        var where = Expression();
        string? returning = null;
        if (Accept("RETURNING"))
        {
            var which = Accept("ALL") ? "ALL" : Accept("MODIFIED") ? "UPDATED" : throw Unexpected();
            var age = Accept("NEW") ? "NEW" : Accept("OLD") ? "OLD" : throw Unexpected();
            ExpectSymbol("*");
            returning = which + "_" + age;
        }

        return new PartiqlStatement(PartiqlStatementKind.Update, table, 0) { Updates = updates.ToImmutable(), Where = where, Returning = returning };
    }

    private PartiqlNode Expression()
    {
        if (++_depth > MaxDepth)
        {
            throw Malformed("Statement nested too deeply");
        }

        var left = And();
        while (Accept("OR"))
        {
            left = new BinaryNode("OR", left, And());
        }

        _depth--;
        return left;
    }

    private PartiqlNode And()
    {
        var left = Not();
        while (Accept("AND"))
        {
            left = new BinaryNode("AND", left, Not());
        }

        return left;
    }

    private PartiqlNode Not()
    {
        if (Accept("NOT"))
        {
            if (++_depth > MaxDepth)
            {
                throw Malformed("Statement nested too deeply");
            }

            var operand = Not();
            _depth--;
            return new NotNode(operand);
        }

        return Predicate();
    }

    private PartiqlNode Predicate()
    {
        var left = Additive();
        if (Current.Kind == PartiqlTokenKind.Symbol && Current.Text is "=" or "<>" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Current.Text == "!=" ? "<>" : Current.Text;
            _at++;
            return new BinaryNode(op, left, Additive());
        }

        var negated = Accept("NOT");
        if (Accept("BETWEEN"))
        {
            var low = Additive();
            Expect("AND");
            PartiqlNode between = new BetweenNode(left, low, Additive());
            return negated ? new NotNode(between) : between;
        }

        if (Accept("IN"))
        {
            var close = AcceptSymbol("[") ? "]" : AcceptSymbol("(") ? ")" : throw Unexpected();
            var values = ImmutableArray.CreateBuilder<PartiqlNode>();
            do
            {
                values.Add(Additive());
            }
            while (AcceptSymbol(","));
            ExpectSymbol(close);
            PartiqlNode test = new InNode(left, values.ToImmutable());
            return negated ? new NotNode(test) : test;
        }

        if (negated)
        {
            throw Unexpected();
        }

        if (Accept("IS"))
        {
            var not = Accept("NOT");
            var missing = Accept("MISSING") || (Accept("NULL") ? false : throw Unexpected());
            return new IsNode(left, missing, not);
        }

        return left;
    }

    private PartiqlNode Additive()
    {
        var left = Primary();
        while (Current.IsSymbol("+") || Current.IsSymbol("-"))
        {
            var op = Current.Text;
            _at++;
            left = new BinaryNode(op, left, Primary());
        }

        return left;
    }

    private PartiqlNode Primary()
    {
        var token = Current;
        if (token.IsSymbol("("))
        {
            _at++;
            var inner = Expression();
            ExpectSymbol(")");
            return inner;
        }

        if (token.Kind == PartiqlTokenKind.Word && _tokens[_at + 1].IsSymbol("(") && !IsLiteralWord(token))
        {
            _at += 2;
            var arguments = ImmutableArray.CreateBuilder<PartiqlNode>();
            if (!AcceptSymbol(")"))
            {
                do
                {
                    arguments.Add(Additive());
                }
                while (AcceptSymbol(","));
                ExpectSymbol(")");
            }

            return new CallNode(token.Text.ToLowerInvariant(), arguments.ToImmutable());
        }

        if (token.Kind == PartiqlTokenKind.QuotedName || (token.Kind == PartiqlTokenKind.Word && !IsLiteralWord(token)))
        {
            _at++;
            return Path(token.Text);
        }

        return Value();
    }

    private static bool IsLiteralWord(PartiqlToken token) => token.IsKeyword("TRUE") || token.IsKeyword("FALSE") || token.IsKeyword("NULL");

    /// <summary>A value: a string, a number, TRUE / FALSE / NULL, <c>?</c>, or a map, list or set of values.</summary>
    private PartiqlNode Value()
    {
        if (++_depth > MaxDepth)
        {
            throw Malformed("Statement nested too deeply");
        }

        var token = Current;
        _at++;
        PartiqlNode value;
        if (token.Kind == PartiqlTokenKind.String)
        {
            value = new StringNode(token.Text);
        }
        else if (token.Kind == PartiqlTokenKind.Number)
        {
            value = new NumberNode(token.Text);
        }
        else if (token.IsSymbol("-") && Current.Kind == PartiqlTokenKind.Number)
        {
            value = new NumberNode("-" + Current.Text);
            _at++;
        }
        else if (token.IsKeyword("TRUE") || token.IsKeyword("FALSE"))
        {
            value = new BooleanNode(token.IsKeyword("TRUE"));
        }
        else if (token.IsKeyword("NULL"))
        {
            value = new NullNode();
        }
        else if (token.IsSymbol("?"))
        {
            value = new ParameterNode(_parameters++);
        }
        else if (token.IsSymbol("{"))
        {
            var entries = ImmutableArray.CreateBuilder<KeyValuePair<string, PartiqlNode>>();
            if (!AcceptSymbol("}"))
            {
                do
                {
                    if (Current.Kind != PartiqlTokenKind.String)
                    {
                        throw Unexpected();
                    }

                    var key = Current.Text;
                    _at++;
                    ExpectSymbol(":");
                    entries.Add(new(key, Value()));
                }
                while (AcceptSymbol(","));
                ExpectSymbol("}");
            }

            value = new MapNode(entries.ToImmutable());
        }
        else if (token.IsSymbol("[") || token.IsSymbol("<<"))
        {
            var close = token.Text == "[" ? "]" : ">>";
            var elements = ImmutableArray.CreateBuilder<PartiqlNode>();
            if (!AcceptSymbol(close))
            {
                do
                {
                    elements.Add(Value());
                }
                while (AcceptSymbol(","));
                ExpectSymbol(close);
            }

            value = close == "]" ? new ListNode(elements.ToImmutable()) : new SetNode(elements.ToImmutable());
        }
        else
        {
            _at--;
            throw Current.Kind == PartiqlTokenKind.End ? Malformed("Unexpected end of statement") : Unexpected();
        }

        _depth--;
        return value;
    }

    /// <summary>A path starting at <paramref name="first"/>: <c>.name</c> and <c>[index]</c> segments.</summary>
    private PathNode Path(string first)
    {
        var segments = ImmutableArray.CreateBuilder<PathSegment>();
        segments.Add(new PathSegment(first, 0));
        while (true)
        {
            if (Current.IsSymbol(".") && _tokens[_at + 1].Kind is PartiqlTokenKind.Word or PartiqlTokenKind.QuotedName)
            {
                segments.Add(new PathSegment(_tokens[_at + 1].Text, 0));
                _at += 2;
            }
            else if (AcceptSymbol("["))
            {
                if (Current.Kind != PartiqlTokenKind.Number || !int.TryParse(Current.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw Unexpected();
                }

                _at++;
                ExpectSymbol("]");
                segments.Add(new PathSegment(null, index));
            }
            else
            {
                return new PathNode(segments.ToImmutable());
            }
        }
    }

    /// <summary>A table or attribute name, double-quoted or bare.</summary>
    private string Name()
    {
        var token = Current;
        if (token.Kind is not (PartiqlTokenKind.Word or PartiqlTokenKind.QuotedName))
        {
            throw token.Kind == PartiqlTokenKind.End ? Malformed("Unexpected end of statement") : Unexpected();
        }

        _at++;
        return token.Text;
    }

    private bool Accept(string keyword)
    {
        if (Current.IsKeyword(keyword))
        {
            _at++;
            return true;
        }

        return false;
    }

    private bool AcceptSymbol(string symbol)
    {
        if (Current.IsSymbol(symbol))
        {
            _at++;
            return true;
        }

        return false;
    }

    private void Expect(string keyword)
    {
        if (!Accept(keyword))
        {
            throw Current.Kind == PartiqlTokenKind.End ? Malformed("Unexpected end of statement") : Unexpected();
        }
    }

    private void ExpectSymbol(string symbol)
    {
        if (!AcceptSymbol(symbol))
        {
            throw Current.Kind == PartiqlTokenKind.End ? Malformed("Unexpected end of statement") : Unexpected();
        }
    }

    private DynamoDbException Unexpected()
    {
        var token = Current;
        var kind = token.Kind switch
        {
            PartiqlTokenKind.End => "end of statement",
            PartiqlTokenKind.Word => "keyword",
            PartiqlTokenKind.String => "string",
            PartiqlTokenKind.Number => "number",
            PartiqlTokenKind.QuotedName => "identifier",
            _ => "token",
        };
        return Malformed($"Unexpected {kind} '{token.Text}' at position {token.Position + 1}");
    }
}
