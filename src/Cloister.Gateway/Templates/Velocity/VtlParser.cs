using System.Collections.Immutable;
using System.Text;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// Parses the Velocity subset API Gateway mapping templates use into an immutable tree: text, references,
/// <c>#set</c>, <c>#if/#elseif/#else</c>, <c>#foreach</c>, <c>#break</c>, <c>#stop</c>, comments and
/// <c>#[[unparsed]]#</c> blocks. A directive alone on its line takes its line's indentation and newline
/// with it, as Velocity does. Nesting and length are bounded; every error carries its offset.
/// </summary>
internal sealed partial class VtlParser
{
    /// <summary>Templates over this size are refused (API Gateway's own limit is 300 KB).</summary>
    public const int MaxLength = 300 * 1024;

    private const int MaxDepth = 64;

    private readonly string _text;
    private int _pos;
    private int _depth;
    private VtlExpr? _elseIf;

    private VtlParser(string text) => _text = text;

    public static ImmutableArray<VtlNode> Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Length > MaxLength)
        {
            throw new VtlException($"The template is longer than {MaxLength} characters.", 0);
        }

        var parser = new VtlParser(template);
        var nodes = parser.ParseBlock(out var terminator);
        if (terminator is not null)
        {
            throw new VtlException($"#{terminator} without a matching #if or #foreach.", parser._pos);
        }

        return nodes;
    }

    /// <summary>Parses statements until the end or a block terminator (<c>end</c>, <c>else</c>, <c>elseif</c>), which is returned.</summary>
    private ImmutableArray<VtlNode> ParseBlock(out string? terminator)
    {
        Enter();
        var nodes = ImmutableArray.CreateBuilder<VtlNode>();
        var literal = new StringBuilder();
        terminator = null;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '#' && TryDirective(nodes, literal, out terminator))
            {
                if (terminator is not null)
                {
                    break;
                }

                continue;
            }

            if (c == '$' && TryReference(out var reference))
            {
                Flush(nodes, literal);
                nodes.Add(reference);
                continue;
            }

            literal.Append(c);
            _pos++;
        }

        Flush(nodes, literal);
        _depth--;
        return nodes.ToImmutable();
    }

    private static void Flush(ImmutableArray<VtlNode>.Builder nodes, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            nodes.Add(new VtlNode.Text(literal.ToString()));
            literal.Clear();
        }
    }

    private bool TryDirective(ImmutableArray<VtlNode>.Builder nodes, StringBuilder literal, out string? terminator)
    {
        terminator = null;
        var start = _pos;
        if (Peek(1) == '#')
        {
            // ## comment: to the end of the line, newline included.
            var newline = _text.IndexOf('\n', _pos);
            _pos = newline < 0 ? _text.Length : newline + 1;
            return true;
        }

        if (Peek(1) == '*')
        {
            var close = _text.IndexOf("*#", _pos + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new VtlException("A #* comment is not closed with *#.", start);
            }

            _pos = close + 2;
            return true;
        }

        if (Peek(1) == '[' && Peek(2) == '[')
        {
            var close = _text.IndexOf("]]#", _pos + 3, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new VtlException("A #[[ block is not closed with ]]#.", start);
            }

            literal.Append(_text, _pos + 3, close - _pos - 3);
            _pos = close + 3;
            return true;
        }

        var braced = Peek(1) == '{';
        var nameStart = _pos + (braced ? 2 : 1);
        var nameEnd = nameStart;
        while (nameEnd < _text.Length && char.IsAsciiLetter(_text[nameEnd]))
        {
            nameEnd++;
        }

        var name = _text[nameStart..nameEnd];
        if (name is not ("set" or "if" or "elseif" or "else" or "end" or "foreach" or "break" or "stop"))
        {
            return false;
        }

        if (braced)
        {
            if (nameEnd >= _text.Length || _text[nameEnd] != '}')
            {
                return false;
            }

            nameEnd++;
        }

        var alone = StartsLine(start, literal);
        _pos = nameEnd;
        switch (name)
        {
            case "end" or "else":
                terminator = name;
                GobbleLine(alone, literal);
                return true;
            case "elseif":
                _elseIf = ParseCondition("#elseif");
                GobbleLine(alone, literal);
                terminator = name;
                return true;
            case "break":
                Flush(nodes, literal);
                nodes.Add(new VtlNode.Break());
                GobbleLine(alone, literal);
                return true;
            case "stop":
                Flush(nodes, literal);
                nodes.Add(new VtlNode.Stop());
                GobbleLine(alone, literal);
                return true;
            case "set":
                {
                    Expect('(', "#set");
                    var target = ParseExpression();
                    if (target is not (VtlExpr.Variable or VtlExpr.Property or VtlExpr.Index))
                    {
                        throw new VtlException("#set needs a reference to assign to.", start);
                    }

                    Expect('=', "#set");
                    var value = ParseExpression();
                    Expect(')', "#set");
                    GobbleLine(alone, literal);
                    Flush(nodes, literal);
                    nodes.Add(new VtlNode.Set(target, value));
                    return true;
                }

            case "if":
                {
                    var condition = ParseCondition("#if");
                    GobbleLine(alone, literal);
                    Flush(nodes, literal);
                    nodes.Add(ParseIf(condition, start));
                    return true;
                }

            default:
                {
                    Expect('(', "#foreach");
                    SkipSpaces();
                    if (Peek(0) != '$')
                    {
                        throw new VtlException("#foreach needs a $variable.", _pos);
                    }

                    _pos++;
                    var variable = ReadIdentifier() ?? throw new VtlException("#foreach needs a $variable.", _pos);
                    SkipSpaces();
                    if (ReadIdentifier() != "in")
                    {
                        throw new VtlException("#foreach needs 'in'.", _pos);
                    }

                    var items = ParseExpression();
                    Expect(')', "#foreach");
                    GobbleLine(alone, literal);
                    Flush(nodes, literal);
                    var body = ParseBlock(out var end);
                    if (end != "end")
                    {
                        throw new VtlException("#foreach is not closed with #end.", start);
                    }

                    nodes.Add(new VtlNode.Foreach(variable, items, body));
                    return true;
                }
        }
    }

    private VtlNode.If ParseIf(VtlExpr condition, int start)
    {
        var branches = ImmutableArray.CreateBuilder<(VtlExpr, ImmutableArray<VtlNode>)>();
        var body = ParseBlock(out var terminator);
        branches.Add((condition, body));
        ImmutableArray<VtlNode> otherwise = [];
        while (true)
        {
            switch (terminator)
            {
                case "elseif":
                    {
                        var next = _elseIf!;
                        body = ParseBlock(out terminator);
                        branches.Add((next, body));
                        continue;
                    }

                case "else":
                    otherwise = ParseBlock(out terminator);
                    if (terminator != "end")
                    {
                        throw new VtlException("#else is not followed by #end.", start);
                    }

                    return new VtlNode.If(branches.ToImmutable(), otherwise);
                case "end":
                    return new VtlNode.If(branches.ToImmutable(), otherwise);
                default:
                    throw new VtlException("#if is not closed with #end.", start);
            }
        }
    }

    private VtlExpr ParseCondition(string directive)
    {
        Expect('(', directive);
        var condition = ParseExpression();
        Expect(')', directive);
        return condition;
    }

    /// <summary>Whether only spaces stand between the start of the line and the directive at <paramref name="at"/>.</summary>
    private bool StartsLine(int at, StringBuilder literal)
    {
        var i = at - 1;
        while (i >= 0 && _text[i] is ' ' or '\t')
        {
            i--;
        }

        if (i >= 0 && _text[i] != '\n')
        {
            return false;
        }

        // The spaces must still be pending in the literal (not part of an earlier node).
        return literal.Length >= at - i - 1;
    }

    /// <summary>For a directive alone on its line: drop the line's indentation and, if only spaces follow, its newline.</summary>
    private void GobbleLine(bool alone, StringBuilder literal)
    {
        if (!alone)
        {
            return;
        }

        var after = _pos;
        while (after < _text.Length && _text[after] is ' ' or '\t' or '\r')
        {
            after++;
        }

        if (after < _text.Length && _text[after] != '\n')
        {
            return;
        }

        while (literal.Length > 0 && literal[^1] is ' ' or '\t')
        {
            literal.Length--;
        }

        _pos = after < _text.Length ? after + 1 : after;
    }

    private bool TryReference(out VtlNode.Reference reference)
    {
        reference = null!;
        var start = _pos;
        var i = _pos + 1;
        var quiet = i < _text.Length && _text[i] == '!';
        if (quiet)
        {
            i++;
        }

        var braced = i < _text.Length && _text[i] == '{';
        if (braced)
        {
            i++;
        }

        if (i >= _text.Length || !char.IsAsciiLetter(_text[i]))
        {
            return false;
        }

        _pos = i;
        var root = ReadIdentifier()!;
        var expression = ParseChain(new VtlExpr.Variable(root), inText: !braced);
        if (braced)
        {
            if (Peek(0) != '}')
            {
                _pos = start;
                return false;
            }

            _pos++;
        }

        reference = new VtlNode.Reference(expression, quiet, _text[start.._pos], root);
        return true;
    }

    /// <summary>Reads <c>.name</c>, <c>.name(args)</c> and <c>[index]</c> after a variable.</summary>
    /// <param name="target">The expression so far.</param>
    /// <param name="inText">In running text a trailing <c>.</c> not followed by a name is text, not a syntax error.</param>
    private VtlExpr ParseChain(VtlExpr target, bool inText)
    {
        // Each link raises the expression tree one level; rendering recurses that deep, so links count against the bound.
        var mark = _depth;
        try
        {
            return ParseLinks(target, inText);
        }
        finally
        {
            _depth = mark;
        }
    }

    private VtlExpr ParseLinks(VtlExpr target, bool inText)
    {
        while (_pos < _text.Length)
        {
            Enter();
            var c = _text[_pos];
            if (c == '.' && _pos + 1 < _text.Length && char.IsAsciiLetter(_text[_pos + 1]))
            {
                _pos++;
                var name = ReadIdentifier(allowHyphen: true)!;
                if (Peek(0) == '(')
                {
                    _pos++;
                    var arguments = ParseArguments(')');
                    target = new VtlExpr.Call(target, name, arguments);
                }
                else
                {
                    target = new VtlExpr.Property(target, name);
                }

                continue;
            }

            if (c == '[' && !inText)
            {
                _pos++;
                var key = ParseExpression();
                Expect(']', "an index");
                target = new VtlExpr.Index(target, key);
                continue;
            }

            if (c == '[' && inText)
            {
                // "$list[0]" in text: an index only when it closes on the same reference.
                var close = _text.IndexOf(']', _pos);
                var newline = _text.IndexOf('\n', _pos);
                if (close < 0 || (newline >= 0 && newline < close))
                {
                    break;
                }

                var save = _pos;
                try
                {
                    _pos++;
                    var key = ParseExpression();
                    Expect(']', "an index");
                    target = new VtlExpr.Index(target, key);
                    continue;
                }
                catch (VtlException)
                {
                    _pos = save;
                    break;
                }
            }

            break;
        }

        return target;
    }

    private ImmutableArray<VtlExpr> ParseArguments(char close)
    {
        var arguments = ImmutableArray.CreateBuilder<VtlExpr>();
        SkipSpaces();
        if (Peek(0) == close)
        {
            _pos++;
            return arguments.ToImmutable();
        }

        while (true)
        {
            arguments.Add(ParseExpression());
            SkipSpaces();
            var c = Peek(0);
            _pos++;
            if (c == close)
            {
                return arguments.ToImmutable();
            }

            if (c != ',')
            {
                throw new VtlException($"Expected ',' or '{close}'.", _pos - 1);
            }
        }
    }

    /// <summary>A name; property names may hold hyphens (<c>header.X-Amz-Invocation-Type</c>), as Velocity 1.7 allows.</summary>
    private string? ReadIdentifier(bool allowHyphen = false)
    {
        var start = _pos;
        if (_pos >= _text.Length || !char.IsAsciiLetter(_text[_pos]))
        {
            return null;
        }

        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'
            || (allowHyphen && _text[_pos] == '-' && char.IsAsciiLetterOrDigit(Peek(1)))))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private void SkipSpaces()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private void Expect(char c, string where)
    {
        SkipSpaces();
        if (Peek(0) != c)
        {
            throw new VtlException($"Expected '{c}' in {where}.", _pos);
        }

        _pos++;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw new VtlException($"The template nests deeper than {MaxDepth} levels.", _pos);
        }
    }
}
