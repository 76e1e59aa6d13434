using System.Text;
using Cloister.Tables.Protocol;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Tables.Operations;

/// <summary>
/// A table's resource-based policy as CreateTable's <c>ResourcePolicy</c> and PutResourcePolicy take it: at most
/// 20 KB, whitespace counted (DynamoDB's limit), and a valid resource policy for Cloister.Policy (every statement
/// names a Principal); anything else is a ValidationException naming every problem.
/// </summary>
internal static class ResourcePolicyDocument
{
    /// <summary>DynamoDB's limit, in bytes of the document as sent.</summary>
    public const int MaxBytes = 20 * 1024;

    /// <summary>The compiled policy; throws ValidationException when the document is too large or not a valid resource policy.</summary>
    public static PolicyDocument Parse(string json)
    {
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            throw DynamoDbException.Validation($"Resource-based policy document is {bytes} bytes; the maximum size is 20 KB (whitespace counted).");
        }

        var parsed = PolicyDocument.Parse(json);
        return parsed.IsValid ? parsed.Policy : throw DynamoDbException.Validation("Invalid resource-based policy document: " + string.Join("; ", parsed.Problems));
    }
}
