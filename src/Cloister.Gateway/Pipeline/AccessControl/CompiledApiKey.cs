using System.Collections.Frozen;
using Cloister.Model.Api;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>An API key with the usage plans it is in, by the API and stage each plan covers.</summary>
/// <param name="Key">The key.</param>
/// <param name="Plans">Its limits per API stage.</param>
internal sealed record CompiledApiKey(ApiKey Key, FrozenDictionary<(string ApiId, string Stage), PlanLimits> Plans);
