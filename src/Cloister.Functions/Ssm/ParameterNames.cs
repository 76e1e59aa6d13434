namespace Cloister.Functions.Ssm;

/// <summary>
/// Parameter Store's rules for names and paths: letters, digits and <c>_ . - /</c>; a name with a slash is a path
/// (fully qualified, starting with <c>/</c>, no empty level) of at most 15 levels; not prefixed with <c>aws</c> or
/// <c>ssm</c> (case-insensitive); at most 2048 characters. Names without a leading slash sit at the root of the
/// hierarchy (<c>/</c>).
/// </summary>
internal static class ParameterNames
{
    public const int MaxLevels = 15;

    public const int MaxLength = 2048;

    public const string InvalidName = "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";

    public const string InvalidPath = "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.";

    /// <summary>Refuses a name PutParameter cannot create, as AWS words it.</summary>
    public static void CheckForWrite(string name)
    {
        if (name.Length > MaxLength)
        {
            throw SsmException.Validation($"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to {MaxLength}");
        }

        if (name.StartsWith("/aws/", StringComparison.OrdinalIgnoreCase))
        {
            throw new SsmException("AccessDeniedException", $"No access to reserved parameter name: {name}.");
        }

        if (!IsWellFormed(name) || IsReserved(name))
        {
            throw SsmException.Validation(InvalidName);
        }

        if (Levels(name) > MaxLevels)
        {
            throw new SsmException("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.");
        }
    }

    /// <summary>A path GetParametersByPath reads, without its trailing slash (<c>/</c> stays <c>/</c>).</summary>
    public static string CheckPath(string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (!path.StartsWith('/') || (trimmed != "/" && (!IsWellFormed(trimmed) || IsReserved(trimmed))))
        {
            throw SsmException.Validation(InvalidPath);
        }

        if (Levels(trimmed) > MaxLevels)
        {
            throw new SsmException("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.");
        }

        return trimmed;
    }

    /// <summary>Whether <paramref name="name"/> sits under <paramref name="path"/> (checked, no trailing slash): directly, or at any depth when recursive.</summary>
    public static bool IsUnder(string name, string path, bool recursive)
    {
        var full = name.StartsWith('/') ? name : "/" + name;
        var prefix = path == "/" ? "/" : path + "/";
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        return recursive || full.IndexOf('/', prefix.Length) < 0;
    }

    /// <summary>How many levels a name has: <c>/a/b/c</c> three, <c>name</c> one.</summary>
    public static int Levels(string name) => name.TrimStart('/').Split('/').Length;

    private static bool IsWellFormed(string name)
    {
        if (name.Length == 0 || (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/')))
        {
            return false;
        }

        var levels = name.StartsWith('/') ? name[1..].Split('/') : [name];
        return levels.All(level => level.Length > 0 && level.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'));
    }

    private static bool IsReserved(string name)
    {
        var first = name.TrimStart('/');
        return first.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || first.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);
    }
}
