using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Cloister.Gateway.Ports;
using Cloister.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Gateway;

/// <summary>How to start a <see cref="GatewayServer"/>.</summary>
public sealed record GatewayOptions
{
    /// <summary>The server certificate with its private key, covering <c>*.execute-api.{region}.amazonaws.com</c> and <c>*.execute-api.{region}.vpce.amazonaws.com</c>.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>The endpoint network interfaces to serve.</summary>
    public required ImmutableArray<GatewayListener> Listeners { get; init; }

    /// <summary>Invokes Lambda functions for AWS_PROXY integrations.</summary>
    public required ILambdaInvoker Lambda { get; init; }

    /// <summary>Where access logs are written (<see cref="StatePaths.AccessLogs"/>).</summary>
    public required StatePaths State { get; init; }

    /// <summary>The clock; tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Handler for HTTP and HTTP_PROXY integrations; null for a pooled <see cref="SocketsHttpHandler"/> that closes a connection after an HTTP/1.0 response.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>The credentials SigV4 signatures of AWS_IAM methods are checked against; empty for the sandbox's own (<see cref="Cloister.Model.SandboxCredentials"/>).</summary>
    public ImmutableArray<Signing.GatewayCredential> Credentials { get; init; } = [];

    /// <summary>
    /// Who signs with an access key id (the sandbox's issued credentials); when set, AWS_IAM methods check signatures
    /// against the callers it knows a secret for, instead of <see cref="Credentials"/>, and the caller's identity-based
    /// policies take part in the decision as API Gateway's do for IAM-authorized methods.
    /// </summary>
    public Func<string, Cloister.Policy.CallerIdentity?>? Callers { get; init; }

    /// <summary>The account-level throttle; API Gateway's is 10,000 requests a second with a burst of 5,000.</summary>
    public Model.Api.ThrottleSettings AccountThrottle { get; init; } = Pipeline.AccessControl.AccessCatalog.AccountDefault;
    /// <summary>Connects VPC links to their network load balancers; null when no integration uses a VPC link (they then fail with 500).</summary>
    public IVpcLinkConnector? VpcLinks { get; init; }

    /// <summary>Issues the certificates custom domain names present (SNI); null serves every name with <see cref="Certificate"/>.</summary>
    public ICertificateIssuer? CertificateIssuer { get; init; }

    /// <summary>Checks the options, returning every problem at once.</summary>
    internal ImmutableArray<string> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        if (!Certificate.HasPrivateKey)
        {
            problems.Add("Certificate: the server certificate has no private key.");
        }

        if (Listeners.IsDefaultOrEmpty)
        {
            problems.Add("Listeners: at least one listener is needed.");
        }
        else
        {
            for (var i = 0; i < Listeners.Length; i++)
            {
                var listener = Listeners[i];
                if ((listener.EndPoint is null) == (listener.SocketHandle is null))
                {
                    problems.Add($"Listeners[{i}]: give exactly one of EndPoint and SocketHandle.");
                }

                if (listener.IsRegional ? listener.VpcEndpointId.Length > 0 || listener.VpcId.Length > 0
                    : string.IsNullOrEmpty(listener.VpcEndpointId) || string.IsNullOrEmpty(listener.VpcId))
                {
                    problems.Add(listener.IsRegional
                        ? $"Listeners[{i}]: the regional front end arrives through no VPC endpoint; VpcEndpointId and VpcId must be empty."
                        : $"Listeners[{i}]: VpcEndpointId and VpcId are required.");
                }
            }
        }

        return problems.ToImmutable();
    }
}
