using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>The part of an ordered key space a query reads: bounds, plus a byte prefix for begins_with.</summary>
internal sealed record KeyRange(KeyEntry Lower, KeyEntry Upper, byte[]? Prefix);
