using System.Text.RegularExpressions;

namespace Cloister.Templates.Mapping;

/// <summary>
/// A method's Lambda proxy integration URI, checked as PutIntegration checks it: the function inside
/// <c>arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations</c> must be a function ARN. One that
/// is not (a table's ARN from a wrong <c>!GetAtt</c>) loaded, and every call of the method answered 500.
/// </summary>
internal sealed partial class ModelBuilder
{
    private void CheckLambdaUri(PropertyReader m)
    {
        if (m.Map("Integration") is not { } integration || integration.GetString("Type") != "AWS_PROXY" || integration.GetString("Uri") is not { } uri)
        {
            return;
        }

        var path = LambdaPathUri().Match(uri);
        if (!path.Success)
        {
            // AWS_PROXY also serves Firehose; only a Lambda path is checked here.
            if (uri.Contains(":lambda:", StringComparison.Ordinal))
            {
                m.Problem("Integration.Uri", $"Invalid function ARN or invalid uri: '{uri}' is not arn:{{partition}}:apigateway:{{region}}:lambda:path/2015-03-31/functions/{{function ARN}}/invocations.");
            }

            return;
        }

        var function = path.Groups["function"].Value;
        if (function.Contains("${stageVariables.", StringComparison.Ordinal))
        {
            // Chosen per stage when called; nothing to check at load.
            return;
        }

        var arn = FunctionArnPattern().Match(function);
        if (!arn.Success)
        {
            m.Problem("Integration.Uri", $"Invalid function ARN or invalid uri: '{function}' is not a Lambda function ARN.");
            return;
        }

        var unqualified = arn.Groups["unqualified"].Value;
        if (!_all.Exists(r => r.Type == "AWS::Lambda::Function" && r.Attribute("Arn") == unqualified))
        {
            m.WarningAt(integration.Get("Uri")!, "Integration.Uri", $"'{function}' is not a function of these templates; Cloister cannot run it, so every call of this method answers 500.");
        }
    }

    [GeneratedRegex(@"^arn:[a-z-]+:apigateway:[a-z0-9-]+:lambda:path/[0-9-]+/functions/(?<function>.+)/invocations$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LambdaPathUri();

    [GeneratedRegex(@"^(?<unqualified>arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9_-]{1,64})(:[a-zA-Z0-9$_-]{1,128})?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FunctionArnPattern();
}
