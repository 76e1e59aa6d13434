namespace Cloister.Tables.Storage;

/// <summary>
/// A position in an ordered key space: up to four encoded components (index key, then table key
/// for index entries). A null component marks a probe; <see cref="Bound"/> then says whether the
/// probe sorts before (-1) or after (+1) every entry that shares its leading components.
/// </summary>
internal sealed record KeyEntry(byte[]? K1, byte[]? K2, byte[]? K3, byte[]? K4, int Bound, StoredItem? Item)
{
    public static KeyEntry Probe(byte[]? k1, byte[]? k2, int bound) => new(k1, k2, null, null, bound, null);

    public byte[]? Component(int index) => index switch
    {
        0 => K1,
        1 => K2,
        2 => K3,
        _ => K4,
    };
}
