namespace Cloister.Tables.Storage;

/// <summary>One of a table's tags, as TagResource and CreateTable's <c>Tags</c> give it.</summary>
internal sealed record TableTag(string Key, string Value);
