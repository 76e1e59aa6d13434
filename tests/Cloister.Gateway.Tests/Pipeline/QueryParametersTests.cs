using Cloister.Gateway.Pipeline;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloister.Gateway.Tests.Pipeline;

/// <summary>
/// <see cref="QueryParameters"/> against ASP.NET Core's own parse on random and mutated query strings: the same pieces,
/// decoded the same way, with names kept apart by case where ASP.NET Core folds them.
/// </summary>
public sealed class QueryParametersTests
{
    private const string Alphabet = "aAbB=&;+%2F3b0zZ~é ";

    [Fact]
    public void Parse_RandomQueries_SameValuesAsAspNetCoreWithNamesKeptApartByCase()
    {
        var random = new Random(20261125);
        for (var round = 0; round < 2000; round++)
        {
            var query = "?" + new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);

            var parsed = QueryParameters.Parse(query);
            var reference = QueryHelpers.ParseQuery(query.Replace(';', '&'));

            // Folding the case-sensitive names together gives ASP.NET Core's case-insensitive collection, value for value.
            var folded = parsed
                .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Value.ToArray()).Order(StringComparer.Ordinal).ToArray(), StringComparer.OrdinalIgnoreCase);
            Assert.Equal(reference.Count, folded.Count);
            foreach (var (name, values) in reference)
            {
                Assert.Equal(values.ToArray().Order(StringComparer.Ordinal), folded[name]);
            }

            Assert.All(parsed, p => Assert.NotEqual(0, p.Value.Count));
        }
    }

    [Theory]
    [InlineData("?a=1&A=2&a=3", "a=1,3|A=2")]
    [InlineData("?x=1;X=2", "x=1|X=2")]
    [InlineData("?flag&flag=", "flag=,")]
    public void Parse_NamesInSeveralSpellings_OneParameterPerSpellingInOrderOfFirstAppearance(string query, string expected)
    {
        var parsed = QueryParameters.Parse(query);

        Assert.Equal(expected, string.Join('|', parsed.Select(p => p.Key + "=" + string.Join(',', p.Value.ToArray()))));
    }
}
