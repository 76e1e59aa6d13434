using System.Security.Cryptography;

namespace Cloister.Model.Identifiers;

/// <summary>
/// Makes identifiers as AWS forms them. Seeded, it gives the same sequence every run so tests
/// and deployments can be deterministic; unseeded, it draws from the system's secure random source.
/// </summary>
public sealed class IdGenerator
{
    private readonly Random? _random;
    private readonly Lock _lock = new();

    /// <summary>An unseeded generator drawing from the secure random source.</summary>
    public IdGenerator()
    {
    }

    /// <summary>A generator that gives the same sequence for the same <paramref name="seed"/>.</summary>
    public IdGenerator(int seed)
    {
#pragma warning disable CA5394 // Determinism is the point of a seeded generator; ids are not secrets.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>A new identifier of <paramref name="kind"/>.</summary>
    public string Next(IdKind kind)
    {
        var shape = IdShapes.Of(kind);
        return string.Create(shape.Prefix.Length + shape.Length, (shape, this), static (span, state) =>
        {
            var (s, generator) = state;
            s.Prefix.AsSpan().CopyTo(span);
            generator.Fill(span[s.Prefix.Length..], s.Alphabet);
        });
    }

    private void Fill(Span<char> destination, string alphabet)
    {
        if (_random is null)
        {
            RandomNumberGenerator.GetItems(alphabet.AsSpan(), destination);
            return;
        }

        lock (_lock)
        {
#pragma warning disable CA5394 // See the constructor: a seeded sequence on purpose.
            _random.GetItems(alphabet.AsSpan(), destination);
#pragma warning restore CA5394
        }
    }
}
