namespace Cloister.Tables.Access;

/// <summary>The global condition keys of tags, as DynamoDB's attribute-based access control fills them.</summary>
internal static class TagKeyNames
{
    /// <summary><c>aws:ResourceTag/KEY</c>: a tag of the table the check is on (an index's check takes its table's).</summary>
    public const string ResourceTag = "aws:ResourceTag/";

    /// <summary><c>aws:RequestTag/KEY</c>: a tag the request sets (TagResource, CreateTable's Tags).</summary>
    public const string RequestTag = "aws:RequestTag/";

    /// <summary><c>aws:TagKeys</c>: the keys of the tags the request sets or removes, multivalued.</summary>
    public const string TagKeys = "aws:TagKeys";
}
