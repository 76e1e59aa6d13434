using System.Diagnostics.CodeAnalysis;

namespace Cloister.Model.Arns;

/// <summary>
/// The ARN API Gateway evaluates resource policies against:
/// <c>arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}</c>. The path is kept
/// literally (the root resource is an empty path, written <c>.../GET/</c>), and any part may be a
/// wildcard in a policy.
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Region">The API's region.</param>
/// <param name="Account">The API's account.</param>
/// <param name="ApiId">The REST API id.</param>
/// <param name="Stage">The stage name.</param>
/// <param name="Method">The HTTP method, upper case, or <c>*</c>.</param>
/// <param name="Path">The resource path without its leading slash; may hold <c>/</c> and <c>*</c>.</param>
public sealed record ExecuteApiArn(string Partition, string Region, string Account, string ApiId, string Stage, string Method, string Path)
{
    /// <summary>The service namespace of API Gateway's data plane.</summary>
    public const string Service = "execute-api";

    /// <summary>The ARN as a general <see cref="Arn"/>.</summary>
    public Arn ToArn() => new(Partition, Service, Region, Account, $"{ApiId}/{Stage}/{Method}/{Path}");

    /// <inheritdoc />
    public override string ToString() => ToArn().ToString();

    /// <summary>Reads an execute-api ARN; false when <paramref name="arn"/> is of another service or shape.</summary>
    public static bool TryFrom(Arn arn, [NotNullWhen(true)] out ExecuteApiArn? result)
    {
        ArgumentNullException.ThrowIfNull(arn);
        result = null;
        if (arn.Service != Service)
        {
            return false;
        }

        var parts = arn.Resource.Split('/', 4);
        if (parts.Length < 3)
        {
            return false;
        }

        result = new ExecuteApiArn(arn.Partition, arn.Region, arn.Account, parts[0], parts[1], parts[2], parts.Length == 4 ? parts[3] : string.Empty);
        return true;
    }

    /// <summary>Reads an execute-api ARN from text; false when it is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ExecuteApiArn? result)
    {
        result = null;
        return Arn.TryParse(text, out var arn) && TryFrom(arn, out result);
    }
}
