using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>Expressions inside directives and method arguments: literals, references, lists, ranges, maps, operators.</summary>
internal sealed partial class VtlParser
{
    private VtlExpr ParseExpression()
    {
        Enter();
        var expression = ParseOr();
        _depth--;
        return expression;
    }

    private VtlExpr ParseOr()
    {
        var mark = _depth;
        var left = ParseAnd();
        while (TryOperator("||", "or"))
        {
            Enter();
            left = new VtlExpr.Binary("||", left, ParseAnd());
        }

        _depth = mark;
        return left;
    }

    private VtlExpr ParseAnd()
    {
        var mark = _depth;
        var left = ParseEquality();
        while (TryOperator("&&", "and"))
        {
            Enter();
            left = new VtlExpr.Binary("&&", left, ParseEquality());
        }

        _depth = mark;
        return left;
    }

    private VtlExpr ParseEquality()
    {
        var mark = _depth;
        var left = ParseRelational();
        while (true)
        {
            Enter();
            if (TryOperator("==", "eq"))
            {
                left = new VtlExpr.Binary("==", left, ParseRelational());
            }
            else if (TryOperator("!=", "ne"))
            {
                left = new VtlExpr.Binary("!=", left, ParseRelational());
            }
            else
            {
                _depth = mark;
                return left;
            }
        }
    }

    private VtlExpr ParseRelational()
    {
        var mark = _depth;
        var left = ParseAdditive();
        while (true)
        {
            Enter();
            string op;
            if (TryOperator("<=", "le"))
            {
                op = "<=";
            }
            else if (TryOperator(">=", "ge"))
            {
                op = ">=";
            }
            else if (TryOperator("<", "lt"))
            {
                op = "<";
            }
            else if (TryOperator(">", "gt"))
            {
                op = ">";
            }
            else
            {
                _depth = mark;
                return left;
            }

            left = new VtlExpr.Binary(op, left, ParseAdditive());
        }
    }

    private VtlExpr ParseAdditive()
    {
        var mark = _depth;
        var left = ParseMultiplicative();
        while (true)
        {
            SkipSpaces();
            var c = Peek(0);
            if (c is not ('+' or '-'))
            {
                _depth = mark;
                return left;
            }

            Enter();

            _pos++;
            left = new VtlExpr.Binary(c.ToString(), left, ParseMultiplicative());
        }
    }

    private VtlExpr ParseMultiplicative()
    {
        var mark = _depth;
        var left = ParseUnary();
        while (true)
        {
            SkipSpaces();
            var c = Peek(0);
            if (c is not ('*' or '/' or '%'))
            {
                _depth = mark;
                return left;
            }

            Enter();

            _pos++;
            left = new VtlExpr.Binary(c.ToString(), left, ParseUnary());
        }
    }

    private VtlExpr ParseUnary()
    {
        SkipSpaces();
        if (Peek(0) == '!' && Peek(1) != '=')
        {
            _pos++;
            Enter();
            var operand = ParseUnary();
            _depth--;
            return new VtlExpr.Unary('!', operand);
        }

        if (TryWord("not"))
        {
            Enter();
            var operand = ParseUnary();
            _depth--;
            return new VtlExpr.Unary('!', operand);
        }

        if (Peek(0) == '-' && !char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            Enter();
            var operand = ParseUnary();
            _depth--;
            return new VtlExpr.Unary('-', operand);
        }

        return ParsePrimary();
    }

    private VtlExpr ParsePrimary()
    {
        SkipSpaces();
        var start = _pos;
        var c = Peek(0);
        switch (c)
        {
            case '$':
                {
                    _pos++;
                    if (Peek(0) == '!')
                    {
                        _pos++;
                    }

                    var braced = Peek(0) == '{';
                    if (braced)
                    {
                        _pos++;
                    }

                    var name = ReadIdentifier() ?? throw new VtlException("Expected a variable name after '$'.", _pos);
                    var expression = ParseChain(new VtlExpr.Variable(name), inText: false);
                    if (braced)
                    {
                        Expect('}', "a reference");
                    }

                    return expression;
                }

            case '\'':
                return new VtlExpr.Literal(ReadQuoted('\''));
            case '"':
                {
                    var content = ReadQuoted('"');
                    if (!content.Contains('$', StringComparison.Ordinal) && !content.Contains('#', StringComparison.Ordinal))
                    {
                        return new VtlExpr.Literal(content);
                    }

                    return new VtlExpr.Interpolated(new VtlParser(content) { _depth = _depth }.ParseInterpolation(start));
                }

            case '(':
                {
                    _pos++;
                    var inner = ParseExpression();
                    Expect(')', "parentheses");
                    return inner;
                }

            case '[':
                {
                    _pos++;
                    SkipSpaces();
                    if (Peek(0) == ']')
                    {
                        _pos++;
                        return new VtlExpr.List([]);
                    }

                    var first = ParseExpression();
                    SkipSpaces();
                    if (Peek(0) == '.' && Peek(1) == '.')
                    {
                        _pos += 2;
                        var last = ParseExpression();
                        Expect(']', "a range");
                        return new VtlExpr.Range(first, last);
                    }

                    var items = ImmutableArray.CreateBuilder<VtlExpr>();
                    items.Add(first);
                    SkipSpaces();
                    if (Peek(0) == ',')
                    {
                        _pos++;
                        items.AddRange(ParseArguments(']'));
                    }
                    else
                    {
                        Expect(']', "a list");
                    }

                    return new VtlExpr.List(items.ToImmutable());
                }

            case '{':
                {
                    _pos++;
                    var entries = ImmutableArray.CreateBuilder<(VtlExpr, VtlExpr)>();
                    SkipSpaces();
                    if (Peek(0) == '}')
                    {
                        _pos++;
                        return new VtlExpr.Map(entries.ToImmutable());
                    }

                    while (true)
                    {
                        var key = ParseExpression();
                        Expect(':', "a map");
                        var value = ParseExpression();
                        entries.Add((key, value));
                        SkipSpaces();
                        var next = Peek(0);
                        _pos++;
                        if (next == '}')
                        {
                            return new VtlExpr.Map(entries.ToImmutable());
                        }

                        if (next != ',')
                        {
                            throw new VtlException("Expected ',' or '}' in a map.", _pos - 1);
                        }
                    }
                }
        }

        if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(Peek(1))))
        {
            return new VtlExpr.Literal(ReadNumber());
        }

        if (TryWord("true"))
        {
            return new VtlExpr.Literal(true);
        }

        if (TryWord("false"))
        {
            return new VtlExpr.Literal(false);
        }

        if (TryWord("null"))
        {
            return new VtlExpr.Literal(null);
        }

        throw new VtlException("Expected a value.", start);
    }

    /// <summary>The parts of a double-quoted string, parsed as a template of its own.</summary>
    private ImmutableArray<VtlNode> ParseInterpolation(int offset)
    {
        try
        {
            var nodes = ParseBlock(out var terminator);
            if (terminator is not null)
            {
                throw new VtlException($"#{terminator} inside a string.", offset);
            }

            return nodes;
        }
        catch (VtlException exception) when (exception.Offset >= 0)
        {
            throw new VtlException("A double-quoted string does not parse.", offset);
        }
    }

    private string ReadQuoted(char quote)
    {
        var start = _pos;
        _pos++;
        var value = new StringBuilder();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == quote)
            {
                // Velocity writes a quote inside a string by doubling it.
                if (Peek(1) == quote)
                {
                    value.Append(quote);
                    _pos += 2;
                    continue;
                }

                _pos++;
                return value.ToString();
            }

            value.Append(c);
            _pos++;
        }

        throw new VtlException("A string is not closed.", start);
    }

    private object ReadNumber()
    {
        var start = _pos;
        if (Peek(0) == '-')
        {
            _pos++;
        }

        while (char.IsAsciiDigit(Peek(0)))
        {
            _pos++;
        }

        var isDecimal = Peek(0) == '.' && char.IsAsciiDigit(Peek(1));
        if (isDecimal)
        {
            _pos++;
            while (char.IsAsciiDigit(Peek(0)))
            {
                _pos++;
            }
        }

        var text = _text.AsSpan(start, _pos - start);
        if (!isDecimal && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new VtlException("A number is out of range.", start);
    }

    private bool TryOperator(string symbol, string word)
    {
        SkipSpaces();
        if (string.CompareOrdinal(_text, _pos, symbol, 0, symbol.Length) == 0)
        {
            // "<" must not take the first character of "<=", nor "!" of "!=": callers try longer symbols first.
            _pos += symbol.Length;
            return true;
        }

        return TryWord(word);
    }

    private bool TryWord(string word)
    {
        SkipSpaces();
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            return false;
        }

        var end = _pos + word.Length;
        if (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_'))
        {
            return false;
        }

        _pos = end;
        return true;
    }
}
