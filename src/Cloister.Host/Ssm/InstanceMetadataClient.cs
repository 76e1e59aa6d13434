using System.Globalization;
using System.Net;
using System.Text.Json;
using Cloister.Functions.Ssm;

namespace Cloister.Host.Ssm;

/// <summary>
/// The role credentials of an instance, read from its instance metadata service (IMDSv2: a session token, then
/// <c>iam/security-credentials/</c> and the role's document) as any process on the instance reads them, and kept until
/// five minutes before they expire.
/// </summary>
internal sealed class InstanceMetadataClient(HttpClient http, TimeProvider time)
{
    private static readonly Uri Metadata = new("http://169.254.169.254/");
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private AgentCredentials? _cached;

    /// <summary>The instance profile's credentials; throws <see cref="SsmAgentException"/> (no type) with the agent's words when there are none.</summary>
    public async Task<AgentCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && cached.Expiration - time.GetUtcNow() > RefreshBefore)
        {
            return cached;
        }

        try
        {
            using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, new Uri(Metadata, "latest/api/token"));
            tokenRequest.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "21600");
            using var tokenResponse = await http.SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
            if (tokenResponse.StatusCode == HttpStatusCode.Forbidden)
            {
                throw NoCredentials("the instance metadata service is disabled on this instance (403 Forbidden from 169.254.169.254)");
            }

            var token = tokenResponse.IsSuccessStatusCode ? await tokenResponse.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;
            var roles = await GetAsync("latest/meta-data/iam/security-credentials/", token, cancellationToken).ConfigureAwait(false);
            var role = roles?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                ?? throw NoCredentials("the instance has no IAM role (no instance profile is attached)");
            var document = await GetAsync($"latest/meta-data/iam/security-credentials/{role}", token, cancellationToken).ConfigureAwait(false)
                ?? throw NoCredentials($"the metadata service has no credentials for role {role}");
            using var json = JsonDocument.Parse(document);
            var root = json.RootElement;
            if (root.TryGetProperty("Code", out var code) && code.GetString() != "Success")
            {
                throw NoCredentials($"the metadata service answers {code.GetString()} for role {role}");
            }

            _cached = new AgentCredentials(
                root.GetProperty("AccessKeyId").GetString()!,
                root.GetProperty("SecretAccessKey").GetString()!,
                root.TryGetProperty("Token", out var session) ? session.GetString() : null,
                DateTimeOffset.Parse(root.GetProperty("Expiration").GetString()!, CultureInfo.InvariantCulture));
            return _cached;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or KeyNotFoundException or FormatException)
        {
            throw NoCredentials(e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw NoCredentials("the instance metadata service did not answer (i/o timeout)");
        }
    }

    private async Task<string?> GetAsync(string path, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Metadata, path));
        if (token is not null)
        {
            request.Headers.Add("X-aws-ec2-metadata-token", token);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;
    }

    private static SsmAgentException NoCredentials(string why) =>
        new(null, $"[CredentialRefresher] Retrieve credentials produced error: no valid credentials could be retrieved for ec2 identity: {why}");
}
