using System.Collections.Immutable;
using Cloister.Model.Compute;

namespace Cloister.Templates.Mapping;

/// <summary>A Lambda function's tags: the template's, checked as Lambda checks CreateFunction's, and CloudFormation's own.</summary>
internal sealed partial class ModelBuilder
{
    /// <summary>
    /// The function's <c>Tags</c> (a list of <c>Key</c> and <c>Value</c>; SAM's map has become one, with
    /// <c>lambda:createdBy: SAM</c> first) with the tags CloudFormation adds to every resource it creates that takes tags,
    /// which Lambda's ListTags shows for a stack's function: <c>aws:cloudformation:stack-name</c>, <c>logical-id</c> and
    /// <c>stack-id</c>. A key of 1–128 characters, a value of at most 256, no <c>aws:</c> key of the user's, each key once,
    /// at most 50 of them (Lambda's limits; CloudFormation's own tags are not counted): else a problem naming the tag.
    /// </summary>
    private ImmutableDictionary<string, string> FunctionTags(PropertyReader r)
    {
        var tags = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, path) in r.TagList())
        {
            if (key.Length is 0 or > LambdaFunction.MaxTagKeyLength)
            {
                r.Problem(path + ".Key", $"'{Shortened(key)}' is not 1 to {LambdaFunction.MaxTagKeyLength} characters long.");
            }
            else if (LambdaFunction.IsReservedTagKey(key))
            {
                r.Problem(path + ".Key", $"'{key}': the prefix 'aws:' is reserved for AWS's own tags.");
            }
            else if (tags.ContainsKey(key))
            {
                r.Problem(path + ".Key", key == "lambda:createdBy"
                    ? "lambda:createdBy is a reserved Tag key name and cannot be set on your function. Please change the tag key in the input."
                    : $"The tag key '{key}' is given more than once.");
            }

            if (value.Length > LambdaFunction.MaxTagValueLength)
            {
                r.Problem(path + ".Value", $"is {value.Length} characters long; a tag value is at most {LambdaFunction.MaxTagValueLength}.");
            }

            tags.TryAdd(key, value);
        }

        if (tags.Count > LambdaFunction.MaxUserTags)
        {
            r.Problem("Tags", $"{tags.Count} tags: a function takes at most {LambdaFunction.MaxUserTags}.");
        }

        foreach (var (key, value) in CloudFormationTags(r))
        {
            tags[key] = value;
        }

        return tags.ToImmutable();
    }

    private static string Shortened(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
