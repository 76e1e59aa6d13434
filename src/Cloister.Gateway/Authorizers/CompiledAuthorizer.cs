using System.Text.RegularExpressions;
using Cloister.Model.Api;

namespace Cloister.Gateway.Authorizers;

/// <summary>An authorizer ready to run: its function, identity sources and validation expression compiled once per catalog.</summary>
/// <param name="Definition">The authorizer as modelled.</param>
/// <param name="FunctionArn">The Lambda function its URI names; null when the URI names none (a configuration error at call time).</param>
/// <param name="Sources">Its identity sources.</param>
/// <param name="Validation">The TOKEN validation expression, anchored as API Gateway applies it; null when none.</param>
internal sealed record CompiledAuthorizer(Authorizer Definition, string? FunctionArn, IdentitySource[] Sources, Regex? Validation)
{
    public TimeSpan Ttl => TimeSpan.FromSeconds(Math.Clamp(Definition.ResultTtlInSeconds, 0, 3600));

    public static CompiledAuthorizer Compile(Authorizer authorizer)
    {
        var sources = IdentitySource.ParseList(authorizer.IdentitySource);
        if (authorizer.Type == AuthorizerType.Token && sources.Length == 0)
        {
            sources = [new IdentitySource(IdentitySourceKind.Header, "Authorization")];
        }

        Regex? validation = null;
        if (authorizer.Type == AuthorizerType.Token && !string.IsNullOrEmpty(authorizer.IdentityValidationExpression))
        {
            try
            {
                // The whole token must match, as in API Gateway (a Java Pattern.matches, in Java's syntax).
                validation = new Regex(Templates.JavaPattern.Translate("^(?:" + authorizer.IdentityValidationExpression + ")\\z"), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException)
            {
                validation = null;
            }
        }

        var function = authorizer.AuthorizerUri is null ? null : Integrations.LambdaIntegration.FunctionArn(authorizer.AuthorizerUri);
        return new CompiledAuthorizer(authorizer, function, sources, validation);
    }
}
