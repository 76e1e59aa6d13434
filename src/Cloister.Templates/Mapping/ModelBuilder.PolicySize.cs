using Cloister.Policy;

namespace Cloister.Templates.Mapping;

/// <summary>The size limits of the policies a service stores whole (an API's resource policy, a VPC endpoint's policy).</summary>
internal sealed partial class ModelBuilder
{
    /// <summary>An API Gateway resource policy's limit; the whole document is checked when the gateway compiles it.</summary>
    private static readonly PolicyParseOptions ApiPolicySize = new(MaxCharacters: PolicyParseOptions.ApiResourcePolicyLimit);

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
    }
}
