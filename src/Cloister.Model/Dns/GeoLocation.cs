namespace Cloister.Model.Dns;

/// <summary>A geolocation record set's location: a continent, a country (with a subdivision for some), or the default (<c>*</c> country).</summary>
/// <param name="ContinentCode">Two letters (<c>EU</c>, <c>NA</c>...), or null.</param>
/// <param name="CountryCode">ISO 3166 two letters, or <c>*</c> for the default location, or null.</param>
/// <param name="SubdivisionCode">A subdivision of the country (a US state: <c>VA</c>), or null.</param>
public sealed record GeoLocation(string? ContinentCode, string? CountryCode, string? SubdivisionCode)
{
    /// <summary>Whether this is the default location, which answers queries no other location of the name and type covers.</summary>
    public bool IsDefault => CountryCode == "*";
}
