using System.Text.Json;
using Cloister.Lambda.RuntimeClient.ApiGateway;

namespace Cloister.Lambda.RuntimeClient.Tests.ApiGateway;

public sealed class ApiGatewayJsonContextTests
{
    // A payload 1.0 event with every field of spec §4, as API Gateway sends it for a private API.
    private const string Event = """
        {
          "resource": "/claim/{id}",
          "path": "/claim/7",
          "httpMethod": "GET",
          "headers": {"Host": "abc.execute-api.eu-central-1.amazonaws.com", "x-apigw-api-id": "abc"},
          "multiValueHeaders": {"Host": ["abc.execute-api.eu-central-1.amazonaws.com"], "x-apigw-api-id": ["abc"]},
          "queryStringParameters": {"a": "2"},
          "multiValueQueryStringParameters": {"a": ["1", "2"]},
          "pathParameters": {"id": "7"},
          "stageVariables": null,
          "requestContext": {
            "accountId": "123456789012", "apiId": "abc", "authorizer": {"principalId": "me", "n": 1},
            "domainName": "abc.execute-api.eu-central-1.amazonaws.com", "domainPrefix": "abc",
            "extendedRequestId": "Xyz=", "httpMethod": "GET",
            "identity": {
              "sourceIp": "172.128.1.7", "userAgent": "curl/8.5.0", "vpceId": "vpce-0abc", "vpcId": "vpc-0abc",
              "accessKey": null, "accountId": null, "caller": null, "user": null, "userArn": null,
              "apiKey": null, "apiKeyId": null,
              "cognitoIdentityPoolId": null, "cognitoIdentityId": null, "cognitoAuthenticationType": null,
              "cognitoAuthenticationProvider": null, "principalOrgId": null,
              "clientCert": {"clientCertPem": "PEM", "subjectDN": "CN=client", "issuerDN": "CN=ca", "serialNumber": "01",
                             "validity": {"notBefore": "May 28 12:30:02 2019 GMT", "notAfter": "Aug  5 09:36:04 2021 GMT"}}
            },
            "path": "/dev/claim/7", "protocol": "HTTP/1.1", "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "requestTime": "09/Apr/2015:12:34:56 +0000", "requestTimeEpoch": 1428582896000,
            "resourceId": "r1", "resourcePath": "/claim/{id}", "stage": "dev"
          },
          "body": null,
          "isBase64Encoded": false
        }
        """;

    [Fact]
    public void Deserialize_FullPrivateApiEvent_ReadsEveryField()
    {
        var request = JsonSerializer.Deserialize(Event, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest)!;

        Assert.Equal("/claim/{id}", request.Resource);
        Assert.Equal("/claim/7", request.Path);
        Assert.Equal("GET", request.HttpMethod);
        Assert.Equal("abc", request.Headers!["x-apigw-api-id"]);
        Assert.Equal(["1", "2"], request.MultiValueQueryStringParameters!["a"]);
        Assert.Equal("2", request.QueryStringParameters!["a"]);
        Assert.Equal("7", request.PathParameters!["id"]);
        Assert.Null(request.StageVariables);
        Assert.Null(request.Body);
        var context = request.RequestContext!;
        Assert.Equal("me", context.Authorizer!["principalId"].GetString());
        Assert.Equal("/dev/claim/7", context.Path);
        Assert.Equal(1428582896000, context.RequestTimeEpoch);
        Assert.Equal("09/Apr/2015:12:34:56 +0000", context.RequestTime);
        Assert.Equal("abc", context.DomainPrefix);
        var identity = context.Identity!;
        Assert.Equal("172.128.1.7", identity.SourceIp);
        Assert.Equal("vpce-0abc", identity.VpceId);
        Assert.Equal("vpc-0abc", identity.VpcId);
        Assert.Equal("CN=client", identity.ClientCert!.SubjectDN);
        Assert.Equal("Aug  5 09:36:04 2021 GMT", identity.ClientCert.Validity!.NotAfter);
    }

    [Fact]
    public void Serialize_Request_UsesApiGatewayNamesAndKeepsNulls()
    {
        var request = JsonSerializer.Deserialize(Event, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest)!;

        var json = JsonDocument.Parse(JsonSerializer.Serialize(request, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest)).RootElement;

        foreach (var name in new[] { "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
            "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body", "isBase64Encoded" })
        {
            Assert.True(json.TryGetProperty(name, out _), name);
        }

        Assert.Equal(JsonValueKind.Null, json.GetProperty("stageVariables").ValueKind);
        Assert.Equal("CN=client", json.GetProperty("requestContext").GetProperty("identity").GetProperty("clientCert").GetProperty("subjectDN").GetString());
    }

    [Fact]
    public void Serialize_Response_HasTheFiveProxyFields()
    {
        var response = new ApiGatewayProxyResponse
        {
            StatusCode = 200,
            Headers = new() { ["Content-Type"] = "application/json" },
            MultiValueHeaders = new() { ["Set-Cookie"] = ["a=1", "b=2"] },
            Body = "{}",
        };

        var json = JsonSerializer.Serialize(response, ApiGatewayJsonContext.Default.ApiGatewayProxyResponse);

        Assert.Equal(
            """{"statusCode":200,"headers":{"Content-Type":"application/json"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"{}","isBase64Encoded":false}""",
            json);
    }
}
