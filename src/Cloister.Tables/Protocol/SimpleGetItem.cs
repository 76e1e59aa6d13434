namespace Cloister.Tables.Protocol;

/// <summary>What <see cref="GetItemRequestReader"/> read: UTF-8 spans into the request body.</summary>
internal ref struct SimpleGetItem
{
    public ReadOnlySpan<byte> TableName;
    public int KeyCount;
    public ReadOnlySpan<byte> FirstName;
    public ReadOnlySpan<byte> FirstType;
    public ReadOnlySpan<byte> FirstValue;
    public ReadOnlySpan<byte> SecondName;
    public ReadOnlySpan<byte> SecondType;
    public ReadOnlySpan<byte> SecondValue;
}
