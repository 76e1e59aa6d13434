namespace Cloister.Model.Api;

/// <summary>How an API is reached.</summary>
public enum EndpointType
{
    /// <summary>Public, in the API's region.</summary>
    Regional,
    /// <summary>Public, through CloudFront.</summary>
    Edge,
    /// <summary>Only through execute-api interface VPC endpoints.</summary>
    Private,
}
