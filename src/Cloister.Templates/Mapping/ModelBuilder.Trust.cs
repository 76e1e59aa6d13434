using Cloister.Policy;
using IamPolicy = Cloister.Policy.Policy;

namespace Cloister.Templates.Mapping;

/// <summary>
/// Roles' trust policies (<c>AssumeRolePolicyDocument</c>) and session limits (<c>MaxSessionDuration</c>), and whether
/// the service that uses a role may assume it: Lambda refuses a function whose role does not trust
/// <c>lambda.amazonaws.com</c>; EC2 launches an instance whose profile's role does not trust <c>ec2.amazonaws.com</c>,
/// with no credentials in its metadata; API Gateway accepts a method whose integration's <c>Credentials</c> role does not
/// trust <c>apigateway.amazonaws.com</c>, and its calls then fail.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string AssumeRolePolicyKey = "AssumeRolePolicyDocument";
    private const string MaxSessionDurationKey = "MaxSessionDuration";
    private const int MinSessionDuration = 3600;
    private const int MaxSessionDuration = 43200;
    private const string LambdaService = "lambda.amazonaws.com";
    private const string Ec2Service = "ec2.amazonaws.com";
    private const string ApiGatewayService = "apigateway.amazonaws.com";

    /// <summary>IAM's default quota for a role's trust policy ("Role trust policy length"), whitespace outside strings not counted.</summary>
    private static readonly PolicyParseOptions TrustPolicySize = new(PolicyKind.Resource, MaxCharacters: 2048);

    /// <summary>The compiled trust policy of each role of the templates whose trust policy is valid, by the role's ARN.</summary>
    private readonly Dictionary<string, IamPolicy> _trustPolicies = new(StringComparer.Ordinal);

    /// <summary>
    /// A role's <c>AssumeRolePolicyDocument</c> as compact JSON (required), checked as IAM checks a trust policy: a resource
    /// policy whose statements name a Principal and no Resource. Each problem names the property and points where it was
    /// written; null when missing or not valid. A valid one is kept compiled for <see cref="Trusts"/>.
    /// </summary>
    private string? AssumeRolePolicy(PropertyReader r, string roleArn)
    {
        var properties = r.Resource.Properties;
        if (PropertyReader.Json(properties, AssumeRolePolicyKey) is not { } json)
        {
            r.Problem(AssumeRolePolicyKey, "is required.");
            return null;
        }

        var at = properties.Get(AssumeRolePolicyKey)!;
        var valid = true;
        if (TrustPolicySize.SizeProblem(json) is { } size)
        {
            r.ProblemAt(at, AssumeRolePolicyKey, "LimitExceeded: " + size);
            valid = false;
        }

        // IAM forbids a Resource in a trust policy; Cloister.Policy compiles it with the role as its resource.
        var parsed = TrustPolicy.Parse(json);
        foreach (var problem in parsed.Problems)
        {
            r.ProblemAt(NodeAt(at, problem.Path), AssumeRolePolicyKey, "MalformedPolicyDocument: " + problem);
        }

        if (!valid || parsed.Policy is not { } policy)
        {
            return null;
        }

        _trustPolicies[roleArn] = policy;
        return json;
    }

    /// <summary>A role's <c>MaxSessionDuration</c>, which IAM holds to one to twelve hours.</summary>
    private static int SessionDuration(PropertyReader r)
    {
        var seconds = r.Int(MaxSessionDurationKey, Model.Iam.IamRole.DefaultMaxSessionDuration);
        if (seconds is < MinSessionDuration or > MaxSessionDuration)
        {
            // IAM's validation message for CreateRole's maxSessionDuration.
            r.Problem(MaxSessionDurationKey, $"ValidationError: Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value {(seconds < MinSessionDuration ? $"greater than or equal to {MinSessionDuration}" : $"less than or equal to {MaxSessionDuration}")}.");
            return Model.Iam.IamRole.DefaultMaxSessionDuration;
        }

        return seconds;
    }

    /// <summary>
    /// Whether the role <paramref name="roleArn"/> lets <paramref name="service"/> assume it on behalf of
    /// <paramref name="sourceArn"/>, decided by its trust policy with the keys a service sends when it assumes a role in
    /// the caller's account (<c>aws:SourceAccount</c>, <c>aws:SourceArn</c>). True for a role whose trust policy Cloister
    /// does not have (not of these templates, or not valid: reported where it was read).
    /// </summary>
    private bool Trusts(string roleArn, string service, string sourceArn)
    {
        if (!_trustPolicies.TryGetValue(roleArn, out var policy))
        {
            return true;
        }

        var context = new RequestContext
        {
            Action = "sts:AssumeRole",
            Resource = roleArn,
            Principal = RequestPrincipal.Service(service),
            RequestedRegion = account.Region,
        };
        context.Set("aws:SourceAccount", account.AccountId);
        context.Set("aws:SourceArn", sourceArn);
        return policy.Evaluate(context).Decision == Decision.Allow;
    }

    /// <summary>
    /// Lambda's check of a function's execution role: CreateFunction fails with InvalidParameterValueException when the
    /// role's trust policy does not let <c>lambda.amazonaws.com</c> assume it, and CloudFormation reports it on the function.
    /// </summary>
    private void CheckFunctionRole(PropertyReader r, string roleArn)
    {
        if (!Trusts(roleArn, LambdaService, r.Resource.Attribute("Arn")))
        {
            r.ProblemAt(r.Node("Role")!, "Role", "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.");
        }
    }

    /// <summary>
    /// An instance whose profile's role does not trust <c>ec2.amazonaws.com</c>: EC2 launches it, but its metadata service
    /// has no credentials for the role; a warning, since the template deploys on AWS. False when EC2 may not assume it.
    /// </summary>
    private bool CheckInstanceRole(PropertyReader r, Model.Iam.IamRole role)
    {
        var instanceArn = $"arn:{account.Partition}:ec2:{account.Region}:{account.AccountId}:instance/{r.Id}";
        if (!Trusts(role.Arn, Ec2Service, instanceArn))
        {
            r.WarningAt(r.Node("IamInstanceProfile")!, "IamInstanceProfile", $"The trust policy of the profile's role '{role.RoleName}' does not let {Ec2Service} assume it: on AWS the instance launches, but its metadata service has no credentials for the role.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// A method whose integration's <c>Credentials</c> role (of these templates) does not trust <c>apigateway.amazonaws.com</c>:
    /// API Gateway accepts the method, but cannot assume the role when it is called, and answers 500 (its execution log:
    /// "API Gateway does not have permission to assume the provided role"); a warning, since the template deploys on AWS.
    /// <c>aws:SourceArn</c> is the API's ARN with every stage and method (<c>.../{api}/*</c>).
    /// </summary>
    private void CheckIntegrationRoles()
    {
        foreach (var m in OfType("AWS::ApiGateway::Method"))
        {
            if (m.Map("Integration") is not { } integration || integration.GetString("Credentials") is not { } roleArn
                || _roles.Find(role => role.Arn == roleArn) is not { } role)
            {
                continue;
            }

            var sourceArn = $"arn:{account.Partition}:execute-api:{account.Region}:{account.AccountId}:{m.String("RestApiId")}/*";
            if (!Trusts(roleArn, ApiGatewayService, sourceArn))
            {
                m.WarningAt(integration.Get("Credentials")!, "Integration.Credentials", $"The trust policy of the integration's role '{role.RoleName}' does not let {ApiGatewayService} assume it: on AWS the method deploys, but its calls fail with 500 Internal server error (API Gateway does not have permission to assume the provided role).");
            }
        }
    }
}
