namespace Cloister.Model.Network;

/// <summary>One CIDR block of a managed prefix list.</summary>
/// <param name="Cidr">The CIDR block.</param>
/// <param name="Description">Its description.</param>
public sealed record PrefixListEntry(string Cidr, string? Description = null);
