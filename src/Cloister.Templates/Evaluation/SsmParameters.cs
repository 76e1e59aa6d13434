using System.Security.Cryptography;
using System.Text;

namespace Cloister.Templates.Evaluation;

/// <summary>
/// Parameters of type <c>AWS::SSM::Parameter::Value&lt;T&gt;</c>. Cloister runs no Parameter Store, so
/// it answers what templates commonly ask for: AWS's public <c>/aws/service/</c> image parameters
/// (the latest Amazon Linux AMI...) get a stable, well-formed AMI id of their own, since an instance in
/// Cloister is a network namespace and its image is only an identifier. A value that is not a
/// parameter path (no leading <c>/</c>) is the value itself, which is how a user passes one with
/// <c>--param</c>. Anything else is an error naming the parameter.
/// </summary>
internal static class SsmParameters
{
    public const string ValueTypePrefix = "AWS::SSM::Parameter::Value<";
    public const string NameType = "AWS::SSM::Parameter::Name";

    /// <summary>The value type of an SSM value parameter type, or null when <paramref name="type"/> is not one.</summary>
    public static string? ValueTypeOf(string type) =>
        type.StartsWith(ValueTypePrefix, StringComparison.Ordinal) && type.EndsWith('>') ? type[ValueTypePrefix.Length..^1] : null;

    /// <summary>Resolves the parameter path <paramref name="path"/> to the value CloudFormation would read.</summary>
    public static bool TryResolve(string path, string valueType, out string value)
    {
        if (!path.StartsWith('/'))
        {
            value = path;
            return true;
        }

        if (path.StartsWith("/aws/service/", StringComparison.Ordinal) && valueType == "AWS::EC2::Image::Id")
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(path));
            value = "ami-" + Convert.ToHexStringLower(hash)[..17];
            return true;
        }

        value = string.Empty;
        return false;
    }
}
