using System.Text;

namespace Cloister.Tables.Values;

/// <summary>
/// One immutable DynamoDB attribute value. Maps and lists are never mutated after construction:
/// updates build new values, so an item can be shared between the store and a response.
/// </summary>
internal sealed class AttributeValue : IEquatable<AttributeValue>
{
    private static readonly AttributeValue TrueValue = new(AttributeKind.BOOL, true);
    private static readonly AttributeValue FalseValue = new(AttributeKind.BOOL, false);
    private static readonly string[] TypeNames = Enum.GetNames<AttributeKind>();

    private readonly object? _payload;
    private readonly DynamoNumber _number;

    private AttributeValue(AttributeKind kind, object? payload, DynamoNumber number = default)
    {
        Kind = kind;
        _payload = payload;
        _number = number;
    }

    public static AttributeValue Null { get; } = new(AttributeKind.NULL, null);

    public AttributeKind Kind { get; }

    /// <summary>The type's name as on the wire (<c>S</c>, <c>NS</c>...), without formatting the enum each time.</summary>
    public string TypeName => TypeNames[(int)Kind];

    public string S => (string)_payload!;

    public DynamoNumber N => _number;

    public byte[] B => (byte[])_payload!;

    public bool Bool => (bool)_payload!;

    public IReadOnlyDictionary<string, AttributeValue> M => (IReadOnlyDictionary<string, AttributeValue>)_payload!;

    public IReadOnlyList<AttributeValue> L => (IReadOnlyList<AttributeValue>)_payload!;

    public IReadOnlyList<string> SS => (IReadOnlyList<string>)_payload!;

    public IReadOnlyList<DynamoNumber> NS => (IReadOnlyList<DynamoNumber>)_payload!;

    public IReadOnlyList<byte[]> BS => (IReadOnlyList<byte[]>)_payload!;

    public bool IsSet => Kind is AttributeKind.SS or AttributeKind.NS or AttributeKind.BS;

    public static AttributeValue FromString(string value) => new(AttributeKind.S, value);

    public static AttributeValue FromNumber(DynamoNumber value) => new(AttributeKind.N, null, value);

    public static AttributeValue FromBinary(byte[] value) => new(AttributeKind.B, value);

    public static AttributeValue FromBool(bool value) => value ? TrueValue : FalseValue;

    public static AttributeValue FromMap(IReadOnlyDictionary<string, AttributeValue> value) => new(AttributeKind.M, value);

    public static AttributeValue FromList(IReadOnlyList<AttributeValue> value) => new(AttributeKind.L, value);

    public static AttributeValue FromStringSet(IReadOnlyList<string> value) => new(AttributeKind.SS, value);

    public static AttributeValue FromNumberSet(IReadOnlyList<DynamoNumber> value) => new(AttributeKind.NS, value);

    public static AttributeValue FromBinarySet(IReadOnlyList<byte[]> value) => new(AttributeKind.BS, value);

    /// <summary>The number of elements of a set, list or map.</summary>
    public int Count => Kind switch
    {
        AttributeKind.M => M.Count,
        AttributeKind.L => L.Count,
        AttributeKind.SS => SS.Count,
        AttributeKind.NS => NS.Count,
        AttributeKind.BS => BS.Count,
        _ => 0,
    };

    /// <summary>The size DynamoDB charges for this value (names excluded), per its item size rules.</summary>
    public int Size => Kind switch
    {
        AttributeKind.S => Encoding.UTF8.GetByteCount(S),
        AttributeKind.N => NumberSize(N),
        AttributeKind.B => B.Length,
        AttributeKind.BOOL or AttributeKind.NULL => 1,
        AttributeKind.M => 3 + M.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + pair.Value.Size + 1),
        AttributeKind.L => 3 + L.Sum(value => value.Size + 1),
        AttributeKind.SS => SS.Sum(Encoding.UTF8.GetByteCount),
        AttributeKind.NS => NS.Sum(NumberSize),
        AttributeKind.BS => BS.Sum(value => value.Length),
        _ => 0,
    };

    public bool Equals(AttributeValue? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return Kind switch
        {
            AttributeKind.S => string.Equals(S, other.S, StringComparison.Ordinal),
            AttributeKind.N => N == other.N,
            AttributeKind.B => B.AsSpan().SequenceEqual(other.B),
            AttributeKind.BOOL => Bool == other.Bool,
            AttributeKind.NULL => true,
            AttributeKind.M => M.Count == other.M.Count && M.All(pair => other.M.TryGetValue(pair.Key, out var value) && pair.Value.Equals(value)),
            AttributeKind.L => L.Count == other.L.Count && L.Zip(other.L).All(pair => pair.First.Equals(pair.Second)),
            AttributeKind.SS => SS.Count == other.SS.Count && SS.All(value => other.SS.Contains(value, StringComparer.Ordinal)),
            AttributeKind.NS => NS.Count == other.NS.Count && NS.All(value => other.NS.Contains(value)),
            AttributeKind.BS => BS.Count == other.BS.Count && BS.All(value => other.BS.Any(candidate => candidate.AsSpan().SequenceEqual(value))),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is AttributeValue other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        AttributeKind.S => HashCode.Combine(Kind, S),
        AttributeKind.N => HashCode.Combine(Kind, N),
        AttributeKind.BOOL => HashCode.Combine(Kind, Bool),
        _ => HashCode.Combine(Kind, Count),
    };

    /// <summary>Orders two scalar values of the same type as DynamoDB orders keys: numbers numerically, strings and binaries by unsigned bytes.</summary>
    public static int CompareScalars(AttributeValue left, AttributeValue right) => left.Kind switch
    {
        AttributeKind.N => left.N.CompareTo(right.N),
        AttributeKind.S => CompareUtf8(left.S, right.S),
        AttributeKind.B => left.B.AsSpan().SequenceCompareTo(right.B),
        _ => 0,
    };

    /// <summary>The text DynamoDB uses for a value inside error messages, e.g. <c>{N:5}</c>.</summary>
    public string Describe() => Kind switch
    {
        AttributeKind.S => "{S:" + S + ",}",
        AttributeKind.N => "{N:" + N.ToString() + ",}",
        AttributeKind.B => "{B:" + Convert.ToBase64String(B) + ",}",
        _ => "{" + Kind + ":...,}",
    };

    internal static int CompareUtf8(string left, string right)
    {
        // Ordinal UTF-16 order differs from UTF-8 byte order only for surrogate pairs versus
        // U+E000..U+FFFF; compare by code point, which equals UTF-8 byte order.
        var i = 0;
        var j = 0;
        while (i < left.Length && j < right.Length)
        {
            var a = CodePoints.Next(left, ref i);
            var b = CodePoints.Next(right, ref j);
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return (left.Length - i).CompareTo(right.Length - j);
    }

    private static int NumberSize(DynamoNumber number) => ((number.Digits + 1) / 2) + 1;
}
