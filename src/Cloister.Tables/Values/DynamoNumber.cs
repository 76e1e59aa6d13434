using System.Globalization;
using System.Numerics;
using System.Text;

namespace Cloister.Tables.Values;

/// <summary>
/// A DynamoDB number: up to 38 significant decimal digits, magnitude between 1E-130 and
/// 9.99..E+125, exact (no binary floating point). The value is <c>Mantissa × 10^Exponent</c> with
/// no trailing zeros in the mantissa, so equal numbers have equal representations.
/// </summary>
internal readonly struct DynamoNumber : IEquatable<DynamoNumber>, IComparable<DynamoNumber>
{
    public const int MaxDigits = 38;
    public const int MaxAdjustedExponent = 125;
    public const int MinAdjustedExponent = -130;

    private readonly int _digits;

    private DynamoNumber(BigInteger mantissa, int exponent)
    {
        Mantissa = mantissa;
        Exponent = exponent;
        _digits = CountDigits(mantissa);
    }

    public BigInteger Mantissa { get; }

    public int Exponent { get; }

    public bool IsZero => Mantissa.IsZero;

    public int Sign => Mantissa.Sign;

    public static DynamoNumber Zero => default;

    /// <summary>The number of significant digits.</summary>
    public int Digits => Mantissa.IsZero ? 1 : _digits;

    /// <summary>The exponent of the leading digit (scientific notation).</summary>
    public int AdjustedExponent => Exponent + Digits - 1;

    private static string NotANumber(ReadOnlySpan<char> text) => "The parameter cannot be converted to a numeric value: " + text.ToString();

    /// <summary>Parses DynamoDB's number text; returns the error message DynamoDB would send on failure.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DynamoNumber value, out string? error)
    {
        value = default;
        error = null;

        // DynamoDB's wording (DynamoDB Local says "A value provided cannot be converted into a number"); surrounding spaces are
        // not trimmed, as DynamoDB refuses " 1" and "1 ".
        if (text.IsEmpty)
        {
            error = "The parameter cannot be converted to a numeric value";
            return false;
        }

        if (text.Length > 512)
        {
            error = NotANumber(text);
            return false;
        }

        var position = 0;
        var negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            position++;
        }

        Span<char> digits = stackalloc char[text.Length];
        var digitCount = 0;
        var fractionDigits = 0;
        var sawDigit = false;
        var sawPoint = false;
        for (; position < text.Length; position++)
        {
            var c = text[position];
            if (c is >= '0' and <= '9')
            {
                sawDigit = true;
                digits[digitCount++] = c;
                if (sawPoint)
                {
                    fractionDigits++;
                }
            }
            else if (c == '.' && !sawPoint)
            {
                sawPoint = true;
            }
            else
            {
                break;
            }
        }

        if (!sawDigit)
        {
            error = NotANumber(text);
            return false;
        }

        var exponent = 0;
        if (position < text.Length)
        {
            if (text[position] is not ('e' or 'E') ||
                !int.TryParse(text[(position + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) ||
                exponent is > 100_000 or < -100_000)
            {
                error = NotANumber(text);
                return false;
            }
        }

        ReadOnlySpan<char> digitText = digits[..digitCount].TrimStart('0');
        if (digitText.Length == 0)
        {
            value = default;
            return true;
        }

        var scale = exponent - fractionDigits;
        var trimmed = digitText.TrimEnd('0');
        scale += digitText.Length - trimmed.Length;
        if (trimmed.Length > MaxDigits)
        {
            error = "Attempting to store more than 38 significant digits in a Number";
            return false;
        }

        // Up to 18 digits fit a long, which BigInteger holds without parsing text or allocating.
        var mantissa = trimmed.Length <= 18
            ? new BigInteger(long.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture))
            : BigInteger.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
        return Create(negative ? -mantissa : mantissa, scale, out value, out error);
    }

    public static DynamoNumber Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public static DynamoNumber FromInt64(long value) => Normalize(new BigInteger(value), 0);

    /// <summary>Builds a number from an exact mantissa and exponent, enforcing DynamoDB's precision and range.</summary>
    public static bool Create(BigInteger mantissa, int exponent, out DynamoNumber value, out string? error)
    {
        value = Normalize(mantissa, exponent);
        error = null;
        if (value.IsZero)
        {
            return true;
        }

        if (value.Digits > MaxDigits)
        {
            error = "Number overflow. Attempting to store a number with magnitude larger than supported range";
            if (value.AdjustedExponent <= MaxAdjustedExponent)
            {
                error = "Attempting to store more than 38 significant digits in a Number";
            }

            return false;
        }

        if (value.AdjustedExponent > MaxAdjustedExponent)
        {
            error = "Number overflow. Attempting to store a number with magnitude larger than supported range";
            return false;
        }

        if (value.AdjustedExponent < MinAdjustedExponent)
        {
            error = "Number underflow. Attempting to store a number with magnitude smaller than supported range";
            return false;
        }

        return true;
    }

    public static bool TryAdd(DynamoNumber left, DynamoNumber right, out DynamoNumber sum, out string? error)
    {
        var exponent = Math.Min(left.Exponent, right.Exponent);
        var a = left.Mantissa * BigInteger.Pow(10, left.Exponent - exponent);
        var b = right.Mantissa * BigInteger.Pow(10, right.Exponent - exponent);
        return Create(a + b, exponent, out sum, out error);
    }

    public DynamoNumber Negate() => new(-Mantissa, Exponent);

    public int CompareTo(DynamoNumber other)
    {
        if (Sign != other.Sign)
        {
            return Sign.CompareTo(other.Sign);
        }

        if (IsZero)
        {
            return 0;
        }

        var exponent = Math.Min(Exponent, other.Exponent);
        var a = Mantissa * BigInteger.Pow(10, Exponent - exponent);
        var b = other.Mantissa * BigInteger.Pow(10, other.Exponent - exponent);
        return a.CompareTo(b);
    }

    public bool Equals(DynamoNumber other) => Mantissa == other.Mantissa && Exponent == other.Exponent;

    public override bool Equals(object? obj) => obj is DynamoNumber other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Mantissa, Exponent);

    public static bool operator ==(DynamoNumber left, DynamoNumber right) => left.Equals(right);

    public static bool operator !=(DynamoNumber left, DynamoNumber right) => !left.Equals(right);

    public static bool operator <(DynamoNumber left, DynamoNumber right) => left.CompareTo(right) < 0;

    public static bool operator >(DynamoNumber left, DynamoNumber right) => left.CompareTo(right) > 0;

    public static bool operator <=(DynamoNumber left, DynamoNumber right) => left.CompareTo(right) <= 0;

    public static bool operator >=(DynamoNumber left, DynamoNumber right) => left.CompareTo(right) >= 0;

    /// <summary>The canonical text DynamoDB returns: plain notation, no exponent, no trailing zeros.</summary>
    public override string ToString()
    {
        if (IsZero)
        {
            return "0";
        }

        if (Exponent == 0 && _digits <= 18)
        {
            return ((long)Mantissa).ToString(CultureInfo.InvariantCulture);
        }

        var digits = BigInteger.Abs(Mantissa).ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(digits.Length + Math.Abs(Exponent) + 3);
        if (Sign < 0)
        {
            builder.Append('-');
        }

        if (Exponent >= 0)
        {
            builder.Append(digits).Append('0', Exponent);
        }
        else
        {
            var point = digits.Length + Exponent;
            if (point > 0)
            {
                builder.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
            }
            else
            {
                builder.Append("0.").Append('0', -point).Append(digits);
            }
        }

        return builder.ToString();
    }

    /// <summary>The digits of the magnitude, for order-preserving key encoding.</summary>
    public string MagnitudeDigits() => BigInteger.Abs(Mantissa).ToString(CultureInfo.InvariantCulture);

    private static int CountDigits(BigInteger mantissa)
    {
        var magnitude = BigInteger.Abs(mantissa);
        if (magnitude.GetBitLength() > 63)
        {
            return magnitude.ToString(CultureInfo.InvariantCulture).Length;
        }

        var value = (long)magnitude;
        var count = 1;
        while (value >= 10)
        {
            value /= 10;
            count++;
        }

        return count;
    }

    private static DynamoNumber Normalize(BigInteger mantissa, int exponent)
    {
        if (mantissa.IsZero)
        {
            return default;
        }

        while (BigInteger.Remainder(mantissa, 10).IsZero)
        {
            mantissa /= 10;
            exponent++;
        }

        return new DynamoNumber(mantissa, exponent);
    }
}
