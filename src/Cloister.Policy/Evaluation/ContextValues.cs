using System.Globalization;

namespace Cloister.Policy.Evaluation;

/// <summary>
/// The values one condition key has in a request, as a view that allocates nothing: a single string,
/// a list (multi-valued keys), or the request time, which is formatted into the caller's scratch
/// buffer only when a string operator asks for its text.
/// </summary>
internal readonly struct ContextValues
{
    /// <summary>The scratch size <see cref="GetText"/> needs for the time keys.</summary>
    public const int ScratchLength = 32;

    private readonly string? _single;
    private readonly List<string>? _many;
    private readonly DateTimeOffset _time;
    private readonly Shape _shape;

    private ContextValues(string? single, List<string>? many, DateTimeOffset time, Shape shape)
    {
        _single = single;
        _many = many;
        _time = time;
        _shape = shape;
    }

    private enum Shape
    {
        Single,
        Many,
        IsoTime,
        EpochTime,
    }

    /// <summary>Whether the key is single-valued; a multivalued one (a list, even of one value) is never a policy variable's value.</summary>
    public bool IsSingleValued => _shape != Shape.Many;

    /// <summary>How many values the key has (0 for an empty multi-valued key).</summary>
    public int Count => _shape == Shape.Many ? _many!.Count : 1;

    /// <summary>
    /// Whether the key has values and every one is empty: what IAM's condition operators page calls a value that "resolves to
    /// a null dataset, such as an empty string", which <c>ForAllValues</c> and <c>Null</c> read as no value.
    /// </summary>
    public bool IsNullDataset
    {
        get
        {
            switch (_shape)
            {
                case Shape.Single:
                    return _single!.Length == 0;
                case Shape.Many:
                    foreach (var value in _many!)
                    {
                        if (value.Length > 0)
                        {
                            return false;
                        }
                    }

                    return _many.Count > 0;
                default:
                    return false;
            }
        }
    }

    public static ContextValues Of(string value) => new(value, null, default, Shape.Single);

    public static ContextValues Of(List<string> values) => new(null, values, default, Shape.Many);

    public static ContextValues OfTime(DateTimeOffset time, bool epoch) => new(null, null, time, epoch ? Shape.EpochTime : Shape.IsoTime);

    /// <summary>The text of value <paramref name="index"/>; <paramref name="scratch"/> holds it when it has to be formatted.</summary>
    public ReadOnlySpan<char> GetText(int index, Span<char> scratch)
    {
        switch (_shape)
        {
            case Shape.Single:
                return _single;
            case Shape.Many:
                return _many![index];
            case Shape.IsoTime:
                _time.UtcDateTime.TryFormat(scratch, out var written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                return scratch[..written];
            default:
                _time.ToUnixTimeSeconds().TryFormat(scratch, out var length, provider: CultureInfo.InvariantCulture);
                return scratch[..length];
        }
    }

    /// <summary>Value <paramref name="index"/> as UTC ticks, for the Date operators (a time key's to the whole second).</summary>
    public bool TryGetUtcTicks(int index, out long ticks)
    {
        if (_shape is Shape.IsoTime or Shape.EpochTime)
        {
            // To the second, as the string forms read (yyyy-MM-ddTHH:mm:ssZ, epoch seconds): every operator sees one instant.
            ticks = _time.UtcTicks - (_time.UtcTicks % TimeSpan.TicksPerSecond);
            return true;
        }

        return PolicyDates.TryParse(_shape == Shape.Single ? _single : _many![index], out ticks);
    }
}
