using Cloister.Policy;

namespace Cloister.Templates.Mapping;

/// <summary>
/// The policies a service stores whole (an API's resource policy, a VPC endpoint's policy): over their size limit, or
/// malformed, they are refused when stored.
/// </summary>
internal sealed partial class ModelBuilder
{
    /// <summary>An API Gateway resource policy's limit and grammar; the shorthand is expanded before it is checked.</summary>
    private static readonly PolicyParseOptions ApiPolicySize = new(PolicyKind.Resource, MaxCharacters: PolicyParseOptions.ApiResourcePolicyLimit);

    /// <summary>
    /// Reports <paramref name="json"/> when it is over the limit of <paramref name="options"/>, naming the resource type and
    /// property as the service refusing it would (<c>AWS::EC2::VPCEndpoint PolicyDocument: ...</c>).
    /// </summary>
    private static void CheckPolicySize(PropertyReader r, string property, string? json, PolicyParseOptions options)
    {
        if (json is not null && options.SizeProblem(json) is { } tooLong)
        {
            r.Problem(property, $"{r.Resource.Type} {property}: {tooLong}");
        }
        else if (json is not null && Cloister.Policy.Policy.Parse(json, options) is { IsValid: false } parsed)
        {
            // The service refuses a malformed document when it is stored; the gateway compiled it only at run time and
            // then denied every call, so a lower-case "deny" made the API answer 403 with nothing said at load.
            r.Problem(property, $"{r.Resource.Type} {property}: Invalid policy document: {parsed.ErrorMessage}");
        }
    }
}
