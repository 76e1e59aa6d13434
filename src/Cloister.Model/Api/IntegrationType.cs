namespace Cloister.Model.Api;

/// <summary>The kinds of method integration API Gateway has.</summary>
public enum IntegrationType
{
    /// <summary>Lambda proxy: the payload 1.0 event in, the proxy response out.</summary>
    AwsProxy,
    /// <summary>An AWS service (a Lambda function, non-proxy) with mapping templates.</summary>
    Aws,
    /// <summary>An HTTP endpoint with mapping templates.</summary>
    Http,
    /// <summary>An HTTP endpoint, passed through.</summary>
    HttpProxy,
    /// <summary>Answered by API Gateway from templates.</summary>
    Mock,
}
