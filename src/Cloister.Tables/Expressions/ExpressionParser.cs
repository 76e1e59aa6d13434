using System.Collections.Immutable;
using System.Globalization;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>
/// A recursive-descent parser for DynamoDB's expression language. Precedence, from tightest:
/// comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR. Names and values are resolved
/// through the request's <see cref="ExpressionContext"/> while parsing.
/// </summary>
internal sealed class ExpressionParser
{
    /// <summary>DynamoDB caps expressions at 4 KB; nesting is capped so a hostile input cannot exhaust the stack.</summary>
    public const int MaxExpressionLength = 4096;
    private const int MaxDepth = 64;

    private static readonly string[] UpdateFunctions = [UpdateOperand.IfNotExists, UpdateOperand.ListAppend];
    private static readonly string[] ConditionFunctions = ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"];

    private readonly string _text;
    private readonly string _kind;
    private readonly ExpressionContext _context;
    private readonly List<Token> _tokens;
    private int _position;
    private int _depth;

    /// <summary>The token positions of the opening and closing parenthesis of the condition group parsed last.</summary>
    private (int Open, int Close) _lastGroup = (-1, -1);

    /// <summary>
    /// The first placeholder the request does not define. DynamoDB reports it only when the expression has no error it ranks
    /// higher (a syntax error, redundant parentheses, an unknown or misused function, a reserved word: dynalite's grammar, written
    /// against DynamoDB), and before the errors it ranks lower (operand counts and types, distinct operands), so parsing goes on.
    /// </summary>
    private DynamoDbException? _unresolved;

    private ExpressionParser(string text, string kind, ExpressionContext context)
    {
        _text = text;
        _kind = kind;
        _context = context;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw DynamoDbException.Validation($"Invalid {kind}: The expression can not be empty;");
        }

        if (text.Length > MaxExpressionLength)
        {
            throw DynamoDbException.Validation($"Invalid {kind}: Expression size has exceeded the maximum allowed size; expression size: {text.Length}");
        }

        _tokens = ExpressionLexer.Tokenize(text, kind);
    }

    private Token Current => _tokens[_position];

    public static Condition ParseCondition(string text, string kind, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, kind, context);
        var condition = parser.ParseOr();
        parser.Expect(TokenKind.End);
        parser.ThrowUnresolved();
        return condition;
    }

    public static ImmutableArray<DocumentPath> ParseProjection(string text, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, "ProjectionExpression", context);
        var paths = ImmutableArray.CreateBuilder<DocumentPath>();
        do
        {
            paths.Add(parser.ParsePath());
        }
        while (parser.Accept(TokenKind.Comma));
        parser.Expect(TokenKind.End);
        parser.ThrowUnresolved();
        CheckOverlaps(paths, "ProjectionExpression");
        return paths.ToImmutable();
    }

    public static ImmutableArray<UpdateAction> ParseUpdate(string text, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, "UpdateExpression", context);
        var actions = ImmutableArray.CreateBuilder<UpdateAction>();
        var seen = new HashSet<UpdateActionKind>();
        while (parser.Current.Kind != TokenKind.End)
        {
            var clause = parser.Current;
            UpdateActionKind kind;
            if (clause.IsKeyword("SET"))
            {
                kind = UpdateActionKind.Set;
            }
            else if (clause.IsKeyword("REMOVE"))
            {
                kind = UpdateActionKind.Remove;
            }
            else if (clause.IsKeyword("ADD"))
            {
                kind = UpdateActionKind.Add;
            }
            else if (clause.IsKeyword("DELETE"))
            {
                kind = UpdateActionKind.Delete;
            }
            else
            {
                throw parser.SyntaxError();
            }

            if (!seen.Add(kind))
            {
                throw DynamoDbException.Validation($"Invalid UpdateExpression: The \"{clause.Text.ToUpperInvariant()}\" section can only be used once in an update expression;");
            }

            parser._position++;
            do
            {
                actions.Add(parser.ParseUpdateAction(kind));
            }
            while (parser.Accept(TokenKind.Comma));
        }

        if (actions.Count == 0)
        {
            throw DynamoDbException.Validation("Invalid UpdateExpression: The expression can not be empty;");
        }

        parser.ThrowUnresolved();

        CheckOverlaps(actions.Select(action => action.Path).ToList(), "UpdateExpression");
        return actions.ToImmutable();
    }

    /// <summary>
    /// Refuses two paths of which one is the other or its prefix ("overlap", the same path twice included, as DynamoDB answered
    /// "path one: [f], path two: [f]"), or that reach one step once as a map key and once as a list index, "a.b" and "a[0]"
    /// ("conflict"); an overlap anywhere is reported before a conflict (dynalite's update grammar, written against DynamoDB).
    /// </summary>
    private static void CheckOverlaps(IReadOnlyList<DocumentPath> paths, string kind)
    {
        (DocumentPath One, DocumentPath Two)? conflict = null;
        for (var i = 0; i < paths.Count; i++)
        {
            for (var j = i + 1; j < paths.Count; j++)
            {
                switch (Relate(paths[i], paths[j]))
                {
                    case true:
                        throw PathsError(kind, "overlap", paths[i], paths[j]);
                    case false:
                        conflict ??= (paths[i], paths[j]);
                        break;
                }
            }
        }

        if (conflict is var (one, two))
        {
            throw PathsError(kind, "conflict", one, two);
        }
    }

    /// <summary>True when one path is a prefix of the other, false when they take one step as a name and as an index, else null.</summary>
    private static bool? Relate(DocumentPath one, DocumentPath other)
    {
        for (var i = 0; i < Math.Min(one.Elements.Length, other.Elements.Length); i++)
        {
            if (one.Elements[i].IsIndex != other.Elements[i].IsIndex)
            {
                return false;
            }

            if (one.Elements[i] != other.Elements[i])
            {
                return null;
            }
        }

        return true;
    }

    private static DynamoDbException PathsError(string kind, string relation, DocumentPath one, DocumentPath two) =>
        DynamoDbException.Validation($"Invalid {kind}: Two document paths {relation} with each other; must remove or rewrite one of these paths; path one: {one.Describe()}, path two: {two.Describe()}");

    private UpdateAction ParseUpdateAction(UpdateActionKind kind)
    {
        var path = ParsePath();
        switch (kind)
        {
            case UpdateActionKind.Set:
                Expect(TokenKind.Equal);
                var value = ParseSetOperand();
                if (Current.Kind is TokenKind.Plus or TokenKind.Minus)
                {
                    var op = Current.Kind == TokenKind.Plus ? UpdateOperand.Plus : UpdateOperand.Minus;
                    _position++;
                    var right = ParseSetOperand();
                    RequireValueKind(op, AttributeKind.N, value, right);
                    value = new UpdateOperand(op, value, right);
                }

                return new UpdateAction(kind, path, value);
            case UpdateActionKind.Remove:
                return new UpdateAction(kind, path, null);
            default:
                if (Current.Kind != TokenKind.ValueReference)
                {
                    throw SyntaxError();
                }

                var operand = ParseOperand(allowUpdateFunctions: false);
                var attribute = ((ValueOperand)operand).Value;
                var valid = kind == UpdateActionKind.Add ? attribute.Kind is AttributeKind.N || attribute.IsSet : attribute.IsSet;
                if (!valid)
                {
                    // DynamoDB names the type and the set of types the action takes (DynamoDB Local's ExpressionValidator and
                    // TypeSet; "operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND" as DynamoDB answered an SDK).
                    var name = kind == UpdateActionKind.Add ? "ADD" : "DELETE";
                    throw Invalid($"Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {name}, operand type: {NodeTypeName(attribute.Kind)}, typeSet: ALLOWED_FOR_{name}_OPERAND");
                }

                return new UpdateAction(kind, path, operand);
        }
    }

    private Operand ParseSetOperand() => ParseOperand(allowUpdateFunctions: true);

    /// <summary>The name DynamoDB gives a type in an ADD or DELETE operand error (its document node types).</summary>
    private static string NodeTypeName(AttributeKind kind) => kind switch
    {
        AttributeKind.S => "STRING",
        AttributeKind.N => "NUMBER",
        AttributeKind.B => "BINARY",
        AttributeKind.BOOL => "BOOLEAN",
        AttributeKind.NULL => "NULL",
        AttributeKind.M => "MAP",
        AttributeKind.L => "LIST",
        AttributeKind.SS => "STRING_SET",
        AttributeKind.NS => "NUMBER_SET",
        _ => "BINARY_SET",
    };

    /// <summary>
    /// Refuses, before any item is read, a placeholder of another type than <paramref name="kind"/> given to <c>+</c>, <c>-</c> or
    /// <c>list_append</c>, as DynamoDB does ("operator or function: list_append, operand type: S"); a path's value is checked
    /// when the item is read.
    /// </summary>
    private void RequireValueKind(string function, AttributeKind kind, params ReadOnlySpan<Operand> operands)
    {
        foreach (var operand in operands)
        {
            if (operand is ValueOperand { Value.Kind: var actual } && actual != kind)
            {
                throw Invalid($"Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: {function}, operand type: {actual}");
            }
        }
    }

    private Condition ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("OR"))
        {
            _position++;
            left = new LogicalCondition("OR", left, ParseAnd());
        }

        return left;
    }

    private Condition ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("AND"))
        {
            _position++;
            left = new LogicalCondition("AND", left, ParseNot());
        }

        return left;
    }

    private Condition ParseNot()
    {
        if (Current.IsKeyword("NOT"))
        {
            _position++;
            Enter();
            var inner = ParseNot();
            _depth--;
            return new LogicalCondition("NOT", inner, null);
        }

        return ParsePrimary();
    }

    private Condition ParsePrimary()
    {
        if (Accept(TokenKind.OpenParen))
        {
            var open = _position - 1;
            Enter();
            var inner = ParseOr();
            _depth--;
            Expect(TokenKind.CloseParen);

            // DynamoDB refuses a group that is nothing but another group, "((a = :v))", though "(a = :v)" is taken.
            if (_lastGroup == (open + 1, _position - 2))
            {
                throw DynamoDbException.Validation($"Invalid {_kind}: The expression has redundant parentheses;");
            }

            _lastGroup = (open, _position - 1);
            return inner;
        }

        if (Current.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.OpenParen && Current.Text != "size")
        {
            var function = ParseFunctionCondition();
            if (StartsComparison(Current))
            {
                // A function that is a condition is no operand: "begins_with(a, :v) = :w".
                throw MisusedFunction(function.Function);
            }

            return function;
        }

        var left = ParseOperand(allowUpdateFunctions: false);
        var op = Current;
        if (left is SizeOperand && !StartsComparison(op) && (op.Kind is TokenKind.End or TokenKind.CloseParen || op.IsKeyword("AND") || op.IsKeyword("OR")))
        {
            // size() is an operand, not a condition: "size(a)" alone.
            throw MisusedFunction("size");
        }

        switch (op.Kind)
        {
            case TokenKind.Equal or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater or TokenKind.GreaterOrEqual:
                _position++;
                var right = ParseOperand(allowUpdateFunctions: false);
                RequireDistinct(op.Text, left, right);
                if (op.Kind is not (TokenKind.Equal or TokenKind.NotEqual))
                {
                    RequireOrderable(op.Text, left, right);
                }

                return new ComparisonCondition(op.Kind, left, right);
            default:
                if (op.IsKeyword("BETWEEN"))
                {
                    _position++;
                    var lower = ParseOperand(allowUpdateFunctions: false);
                    if (!Current.IsKeyword("AND"))
                    {
                        throw SyntaxError();
                    }

                    _position++;
                    var upper = ParseOperand(allowUpdateFunctions: false);
                    RequireOrderable("BETWEEN", left, lower, upper);
                    if (lower is ValueOperand { Value: var lo } && upper is ValueOperand { Value: var hi })
                    {
                        if (lo.Kind != hi.Kind)
                        {
                            throw Invalid($"Invalid {_kind}: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {lo.Describe()}, upper bound operand: AttributeValue: {hi.Describe()}");
                        }

                        if (lo.Kind is AttributeKind.N or AttributeKind.S or AttributeKind.B && AttributeValue.CompareScalars(lo, hi) > 0)
                        {
                            throw Invalid($"Invalid {_kind}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {lo.Describe()}, upper bound operand: AttributeValue: {hi.Describe()}");
                        }
                    }

                    return new BetweenCondition(left, lower, upper);
                }

                if (op.IsKeyword("IN"))
                {
                    _position++;
                    Expect(TokenKind.OpenParen);
                    var candidates = ImmutableArray.CreateBuilder<Operand>();
                    do
                    {
                        candidates.Add(ParseOperand(allowUpdateFunctions: false));
                    }
                    while (Accept(TokenKind.Comma));
                    Expect(TokenKind.CloseParen);
                    if (candidates.Count > 100)
                    {
                        throw Invalid($"Invalid {_kind}: The IN operator is provided with too many operands; number of operands: {candidates.Count}");
                    }

                    return new InCondition(left, candidates.ToImmutable());
                }

                throw SyntaxError();
        }
    }

    private static bool StartsComparison(Token token) =>
        token.Kind is TokenKind.Equal or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater or TokenKind.GreaterOrEqual ||
        token.IsKeyword("BETWEEN") || token.IsKeyword("IN");

    /// <summary>An error DynamoDB ranks below an undefined placeholder: that placeholder's error when there is one.</summary>
    private DynamoDbException Invalid(string message) => _unresolved ?? DynamoDbException.Validation(message);

    /// <summary>The end of a parse: an undefined placeholder is reported now that no higher-ranked error can follow.</summary>
    private void ThrowUnresolved()
    {
        if (_unresolved is not null)
        {
            throw _unresolved;
        }
    }

    private DynamoDbException MisusedFunction(string name) =>
        DynamoDbException.Validation($"Invalid {_kind}: The function is not allowed to be used this way in an expression; function: {name}");

    /// <summary>
    /// Refuses an operator or two-operand function given the same document path twice ("a = a", "contains(a, a)"), as DynamoDB does
    /// before it reads any item: "The first operand must be distinct from the remaining operands for this operator or function".
    /// </summary>
    private void RequireDistinct(string op, Operand first, Operand second)
    {
        if (first is PathOperand { Path: var path } && second is PathOperand { Path: var other } && path.Equals(other))
        {
            throw Invalid($"Invalid {_kind}: The first operand must be distinct from the remaining operands for this operator or function; operator: {op}, first operand: {path.Describe()}");
        }
    }

    /// <summary>
    /// Refuses an ordering of a placeholder whose type has no order (only S, N and B have one), as DynamoDB does; a path's value of
    /// such a type only makes the comparison false.
    /// </summary>
    private void RequireOrderable(string op, params ReadOnlySpan<Operand> operands)
    {
        foreach (var operand in operands)
        {
            if (operand is ValueOperand { Value.Kind: not (AttributeKind.S or AttributeKind.N or AttributeKind.B) and var kind })
            {
                throw Invalid($"Invalid {_kind}: Incorrect operand type for operator or function; operator or function: {op}, operand type: {kind}");
            }
        }
    }

    private FunctionCondition ParseFunctionCondition()
    {
        var name = Current;
        if (UpdateFunctions.Contains(name.Text, StringComparer.Ordinal))
        {
            throw MisusedFunction(name.Text);
        }

        if (!ConditionFunctions.Contains(name.Text, StringComparer.Ordinal))
        {
            throw DynamoDbException.Validation($"Invalid {_kind}: Invalid function name; function: {name.Text}");
        }

        _position += 2;
        var arguments = ParseArguments();
        var expected = name.Text is "attribute_exists" or "attribute_not_exists" ? 1 : 2;
        if (arguments.Length != expected)
        {
            throw Invalid($"Invalid {_kind}: Incorrect number of operands for operator or function; operator or function: {name.Text}, number of operands: {arguments.Length}");
        }

        if (arguments.Length == 2)
        {
            RequireDistinct(name.Text, arguments[0], arguments[1]);
        }

        if (arguments[0] is not PathOperand && name.Text is not "contains")
        {
            throw Invalid($"Invalid {_kind}: Operator or function requires a document path; operator or function: {name.Text}");
        }

        if (name.Text == "attribute_type" && arguments[1] is ValueOperand { Value: var type } &&
            (type.Kind != AttributeKind.S || !Enum.TryParse<AttributeKind>(type.S, ignoreCase: false, out _)))
        {
            throw Invalid($"Invalid {_kind}: Invalid attribute type name found; type: {(type.Kind == AttributeKind.S ? type.S : type.Kind.ToString())}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}");
        }

        if (name.Text == "begins_with" && arguments[1] is ValueOperand { Value: var prefix } && prefix.Kind is not (AttributeKind.S or AttributeKind.B))
        {
            throw Invalid($"Invalid {_kind}: Incorrect operand type for operator or function; operator or function: begins_with, operand type: {prefix.Kind}");
        }

        return new FunctionCondition(name.Text, arguments);
    }

    private ImmutableArray<Operand> ParseArguments()
    {
        Enter();
        var arguments = ImmutableArray.CreateBuilder<Operand>();
        if (Current.Kind != TokenKind.CloseParen)
        {
            do
            {
                arguments.Add(ParseOperand(allowUpdateFunctions: true));
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.CloseParen);
        _depth--;
        return arguments.ToImmutable();
    }

    private Operand ParseOperand(bool allowUpdateFunctions)
    {
        var token = Current;
        if (token.Kind == TokenKind.ValueReference)
        {
            _position++;
            var value = _context.TryResolveValue(token.Text, _kind, out var undefined);
            _unresolved ??= undefined;
            return new ValueOperand(token.Text, value ?? AttributeValue.Null);
        }

        if (token.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.OpenParen)
        {
            var name = token.Text;
            if (name == "size")
            {
                if (_kind == "UpdateExpression")
                {
                    throw DynamoDbException.Validation($"Invalid {_kind}: The function is not allowed in an update expression; function: size");
                }

                _position += 2;
                var arguments = ParseArguments();
                if (arguments.Length != 1)
                {
                    throw Invalid($"Invalid {_kind}: Incorrect number of operands for operator or function; operator or function: size, number of operands: {arguments.Length}");
                }

                // A placeholder (or another size) is known from the request: one that has no size is the request's error, as in
                // DynamoDB, where a path's value without one only makes the comparison false.
                var unmeasurable = arguments[0] switch
                {
                    ValueOperand value when SizeOperand.Measure(value.Value) is null => value.Value.Kind.ToString(),
                    SizeOperand => nameof(AttributeKind.N),
                    _ => null,
                };
                if (unmeasurable is not null)
                {
                    throw Invalid($"Invalid {_kind}: Incorrect operand type for operator or function; operator or function: size, operand type: {unmeasurable}");
                }

                return new SizeOperand(arguments[0]);
            }

            if (UpdateFunctions.Contains(name, StringComparer.Ordinal))
            {
                if (!allowUpdateFunctions || _kind != "UpdateExpression")
                {
                    throw MisusedFunction(name);
                }

                _position += 2;
                var arguments = ParseArguments();
                if (arguments.Length != 2)
                {
                    throw Invalid($"Invalid {_kind}: Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {arguments.Length}");
                }

                if (name == UpdateOperand.IfNotExists && arguments[0] is not PathOperand)
                {
                    throw Invalid($"Invalid {_kind}: Operator or function requires a document path; operator or function: {name}");
                }

                if (name == UpdateOperand.ListAppend)
                {
                    RequireValueKind(name, AttributeKind.L, arguments[0], arguments[1]);
                }

                return new UpdateOperand(name, arguments[0], arguments[1]);
            }

            if (ConditionFunctions.Contains(name, StringComparer.Ordinal))
            {
                // A condition where an operand belongs: ":v = begins_with(a, :w)", "size(contains(a, :v))".
                throw MisusedFunction(name);
            }

            throw DynamoDbException.Validation($"Invalid {_kind}: Invalid function name; function: {name}");
        }

        return new PathOperand(ParsePath());
    }

    private DocumentPath ParsePath()
    {
        var elements = ImmutableArray.CreateBuilder<PathElement>();
        elements.Add(new PathElement(ParsePathName(), 0));
        while (true)
        {
            if (Accept(TokenKind.Dot))
            {
                elements.Add(new PathElement(ParsePathName(), 0));
            }
            else if (Accept(TokenKind.OpenBracket))
            {
                var index = Current;
                if (index.Kind != TokenKind.Integer)
                {
                    throw SyntaxError();
                }

                if (!int.TryParse(index.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    throw DynamoDbException.Validation($"Invalid {_kind}: List index is not within the allowable range; index: [{index.Text}]");
                }

                _position++;
                Expect(TokenKind.CloseBracket);
                elements.Add(new PathElement(null, value));
            }
            else
            {
                break;
            }

            if (elements.Count > 32)
            {
                throw DynamoDbException.Validation($"Invalid {_kind}: The document path has too many nesting levels; nesting levels: {elements.Count}");
            }
        }

        return new DocumentPath(elements.ToImmutable());
    }

    private string ParsePathName()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.NameReference:
                _position++;
                var name = _context.TryResolveName(token.Text, _kind, out var undefined);
                _unresolved ??= undefined;
                return name ?? token.Text;
            case TokenKind.Identifier:
                if (ReservedWords.Contains(token.Text))
                {
                    throw DynamoDbException.Validation($"Invalid {_kind}: Attribute name is a reserved keyword; reserved keyword: {token.Text}");
                }

                _position++;
                return token.Text;
            default:
                throw SyntaxError();
        }
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw DynamoDbException.Validation($"Invalid {_kind}: The expression has too many nesting levels");
        }
    }

    private Token Peek(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _position++;
        return true;
    }

    private void Expect(TokenKind kind)
    {
        if (!Accept(kind))
        {
            throw SyntaxError();
        }
    }

    private DynamoDbException SyntaxError()
    {
        var from = _position > 0 ? _tokens[_position - 1].Offset : Current.Offset;
        var next = Current.Kind == TokenKind.End ? Current : _tokens[_position + 1];
        var to = next.Kind == TokenKind.End ? _text.Length : next.Offset + next.Text.Length;
        return ExpressionLexer.Syntax(_kind, _text, Current.Text, from, to);
    }
}
