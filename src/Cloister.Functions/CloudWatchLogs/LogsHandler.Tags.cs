using System.Text.RegularExpressions;

namespace Cloister.Functions.CloudWatchLogs;

/// <summary>
/// Log group tags: TagResource, UntagResource and ListTagsForResource (by the group's ARN, <c>resourceArn</c>), the older
/// TagLogGroup, UntagLogGroup and ListTagsLogGroup (by name), and CreateLogGroup's <c>tags</c>. At most 50 tags a group
/// (<c>TooManyTagsException</c>); keys 1–128 and values 0–256 characters of letters, digits, spaces and <c>_.:/=+-@</c>.
/// A group's tags are its <c>aws:ResourceTag/KEY</c> condition keys on every call on it; TagResource and CreateLogGroup
/// give <c>aws:RequestTag/KEY</c> and <c>aws:TagKeys</c>, UntagResource <c>aws:TagKeys</c> (TagLogGroup and
/// UntagLogGroup none, as AWS says of them).
/// </summary>
internal sealed partial class LogsHandler
{
    private const string KeyRule = @"Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$]";
    private const string ValueRule = @"Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$]";

    private byte[] TagResource(LogsCall call)
    {
        var tags = TagsOf(call, "tags") ?? throw NullMember("tags");
        var group = GroupOfArn(call, "TagResource", new TagFacts { OfRequest = tags, Keys = [.. tags.Keys] });
        return Tag(group, tags);
    }

    private byte[] UntagResource(LogsCall call)
    {
        var keys = TagKeysOf(call, "tagKeys");
        var group = GroupOfArn(call, "UntagResource", new TagFacts { Keys = keys });
        store.UntagGroup(group.Name, keys, Now);
        return "{}"u8.ToArray();
    }

    private byte[] ListTagsForResource(LogsCall call) => TagsAnswer(GroupOfArn(call, "ListTagsForResource", tags: null));

    private byte[] TagLogGroup(LogsCall call)
    {
        var tags = TagsOf(call, "tags") ?? throw NullMember("tags");
        return Tag(Group(call, "TagLogGroup"), tags);
    }

    private byte[] UntagLogGroup(LogsCall call)
    {
        var keys = TagKeysOf(call, "tags");
        store.UntagGroup(Group(call, "UntagLogGroup").Name, keys, Now);
        return "{}"u8.ToArray();
    }

    private byte[] ListTagsLogGroup(LogsCall call) => TagsAnswer(Group(call, "ListTagsLogGroup"));

    private byte[] Tag(LogGroupSource group, Dictionary<string, string> tags)
    {
        if (!store.TagGroup(group.Name, tags, Now))
        {
            throw new LogsException("TooManyTagsException", $"A resource can have no more than {LogStore.MaxTags} tags.");
        }

        return "{}"u8.ToArray();
    }

    private byte[] TagsAnswer(LogGroupSource group) => Json(writer =>
    {
        writer.WriteStartObject("tags");
        foreach (var (key, value) in store.Tags(group.Name).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    });

    /// <summary>
    /// The group a <c>resourceArn</c> names (<c>arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME</c>, <c>:*</c> allowed),
    /// authorized first. A destination's ARN names nothing here (the sandbox has no destinations).
    /// </summary>
    private LogGroupSource GroupOfArn(LogsCall call, string operation, TagFacts? tags)
    {
        var arn = call.String("resourceArn") ?? throw NullMember("resourceArn");
        var prefix = $"arn:{account.Partition}:logs:{account.Region}:{account.AccountId}:";
        if (!arn.StartsWith(prefix, StringComparison.Ordinal) || arn[prefix.Length..] is not { } rest)
        {
            throw LogsException.InvalidParameter($"The ARN {arn} is not a CloudWatch Logs resource of this account and Region.");
        }

        if (!rest.StartsWith("log-group:", StringComparison.Ordinal))
        {
            throw new LogsException("ResourceNotFoundException", "The specified resource does not exist.");
        }

        return Group(call, NameOf(arn), operation, string.Empty, tags);
    }

    /// <summary>A map of tags to set, checked as CloudWatch Logs checks them; null when absent.</summary>
    private static Dictionary<string, string>? TagsOf(LogsCall call, string member)
    {
        if (call.Map(member) is not { } tags)
        {
            return null;
        }

        if (tags.Count is 0 or > LogStore.MaxTags)
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {LogStore.MaxTags} and greater than or equal to 1");
        }

        foreach (var (key, value) in tags)
        {
            CheckKey(key, member);
            if (value.Length > 256 || !TagValuePattern().IsMatch(value))
            {
                throw LogsException.InvalidParameter($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {ValueRule}");
            }
        }

        return tags;
    }

    private static List<string> TagKeysOf(LogsCall call, string member)
    {
        var keys = call.Strings(member) ?? throw NullMember(member);
        if (keys.Count is 0 or > LogStore.MaxTags)
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {LogStore.MaxTags} and greater than or equal to 1");
        }

        keys.ForEach(key => CheckKey(key, member));
        return keys;
    }

    private static void CheckKey(string key, string member)
    {
        if (key.Length is 0 or > 128 || !TagKeyPattern().IsMatch(key))
        {
            throw LogsException.InvalidParameter($"1 validation error detected: Value '{key}' at '{member}' failed to satisfy constraint: {KeyRule}");
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw LogsException.InvalidParameter("Tag keys beginning with 'aws:' are reserved for AWS use.");
        }
    }

    private static LogsException NullMember(string member) =>
        LogsException.InvalidParameter($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    [GeneratedRegex(@"^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TagKeyPattern();

    [GeneratedRegex(@"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TagValuePattern();
}
