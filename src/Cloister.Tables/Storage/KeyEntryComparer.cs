namespace Cloister.Tables.Storage;

/// <summary>Orders <see cref="KeyEntry"/> values component by component, bytes unsigned.</summary>
internal sealed class KeyEntryComparer : IComparer<KeyEntry>
{
    public static KeyEntryComparer Instance { get; } = new();

    public int Compare(KeyEntry? x, KeyEntry? y)
    {
        for (var i = 0; i < 4; i++)
        {
            var a = x!.Component(i);
            var b = y!.Component(i);
            if (a is null || b is null)
            {
                if (a is null && b is null)
                {
                    return x.Bound.CompareTo(y.Bound);
                }

                return a is null ? (x.Bound == 0 ? -1 : x.Bound) : (y.Bound == 0 ? 1 : -y.Bound);
            }

            var order = a.AsSpan().SequenceCompareTo(b);
            if (order != 0)
            {
                return order;
            }
        }

        return x!.Bound.CompareTo(y!.Bound);
    }
}
