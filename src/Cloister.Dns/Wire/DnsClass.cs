namespace Cloister.Dns.Wire;

/// <summary>DNS classes; Cloister serves only <see cref="IN"/>.</summary>
public enum DnsClass : ushort
{
    /// <summary>The Internet.</summary>
    IN = 1,
    /// <summary>Chaos.</summary>
    CH = 3,
    /// <summary>Hesiod.</summary>
    HS = 4,
    /// <summary>Any class.</summary>
    ANY = 255,
}
