using Cloister.Model.Identifiers;

namespace Cloister.Templates.Evaluation;

/// <summary>Lambda, DynamoDB, load balancing, certificates, IAM, logs and Parameter Store parameters.</summary>
internal static partial class ResourceCatalog
{
    /// <summary>The number Lambda gives a function's first published version.</summary>
    public const string FirstVersion = "1";

    private static IEnumerable<ResourceType> OtherTypes()
    {
        yield return T("AWS::Lambda::Function", "Arn SnapStartResponse.ApplyOn SnapStartResponse.OptimizationStatus", c =>
        {
            var name = c.Prop("FunctionName") ?? c.GeneratedName();
            return c.Set("Arn", c.Arn("lambda", "function:" + name)).Set("SnapStartResponse.ApplyOn", "None")
                .Set("SnapStartResponse.OptimizationStatus", "Off").Done(name);
        });
        // A template deployment publishes each function once: a second version of an unchanged function is refused (by
        // the mapping, as Lambda refuses it), so a version is always the function's first, 1.
        yield return T("AWS::Lambda::Version", "FunctionArn Version", c =>
        {
            var arn = c.Arn("lambda", $"function:{Mapping.ModelBuilder.FunctionNameOf(c.Prop("FunctionName") ?? string.Empty)}:{FirstVersion}");
            return c.Set("FunctionArn", arn).Set("Version", FirstVersion).Done(arn);
        });
        yield return T("AWS::Lambda::Alias", "AliasArn", c =>
        {
            var arn = c.Arn("lambda", $"function:{Mapping.ModelBuilder.FunctionNameOf(c.Prop("FunctionName") ?? string.Empty)}:{c.Prop("Name")}");
            return c.Set("AliasArn", arn).Done(arn);
        });
        // A template's layer is created once per deployment, so its version is its first; Ref gives the version's ARN.
        yield return T("AWS::Lambda::LayerVersion", "LayerVersionArn", c =>
        {
            var arn = c.Arn("lambda", $"layer:{c.Prop("LayerName") ?? c.GeneratedName(140)}:{Model.Compute.LayerVersion.FirstVersion}");
            return c.Set("LayerVersionArn", arn).Done(arn);
        });
        yield return T("AWS::Lambda::Permission", string.Empty, c => c.Done($"{c.State.StackName}-{c.LogicalId}-{c.NewId(IdKind.ApiKey)}"));
        yield return T("AWS::DynamoDB::Table", "Arn StreamArn", c =>
        {
            var name = c.Prop("TableName") ?? c.GeneratedName(255);
            var arn = c.Arn("dynamodb", "table/" + name);
            var streams = c.Properties.Get("StreamSpecification") is not null;
            return c.Set("Arn", arn).Set("StreamArn", streams ? arn + "/stream/2024-01-01T00:00:00.000" : string.Empty).Done(name);
        });
        yield return T(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "CanonicalHostedZoneID DNSName LoadBalancerArn LoadBalancerFullName LoadBalancerName SecurityGroups",
            c =>
            {
                var name = c.Prop("Name") ?? c.GeneratedName(32);
                var network = string.Equals(c.Prop("Type"), "network", StringComparison.OrdinalIgnoreCase);
                var internalScheme = string.Equals(c.Prop("Scheme"), "internal", StringComparison.OrdinalIgnoreCase);
                var suffix = c.NewId(IdKind.Vpc)[4..20];
                var fullName = $"{(network ? "net" : "app")}/{name}/{suffix}";
                var digits = string.Concat(suffix.Where(char.IsAsciiDigit)).PadRight(10, '0')[..10];
                var dns = network
                    ? $"{name}-{suffix[..10]}.elb.{c.Region}.{c.State.Account.UrlSuffix}"
                    : $"{(internalScheme ? "internal-" : string.Empty)}{name}-{digits}.{c.Region}.elb.{c.State.Account.UrlSuffix}";
                var arn = c.Arn("elasticloadbalancing", "loadbalancer/" + fullName);
                return c.Set("CanonicalHostedZoneID", "Z" + c.NewId(IdKind.HostedZone)[1..14]).Set("DNSName", dns).Set("LoadBalancerArn", arn)
                    .Set("LoadBalancerFullName", fullName).Set("LoadBalancerName", name).Set("SecurityGroups", c.PropList("SecurityGroups"))
                    .Done(arn);
            });
        yield return T("AWS::ElasticLoadBalancingV2::TargetGroup", "LoadBalancerArns TargetGroupArn TargetGroupFullName TargetGroupName", c =>
        {
            var name = c.Prop("Name") ?? c.GeneratedName(32);
            var fullName = $"targetgroup/{name}/{c.NewId(IdKind.Vpc)[4..20]}";
            var arn = c.Arn("elasticloadbalancing", fullName);
            return c.Set("LoadBalancerArns", []).Set("TargetGroupArn", arn).Set("TargetGroupFullName", fullName).Set("TargetGroupName", name).Done(arn);
        });
        yield return T("AWS::ElasticLoadBalancingV2::Listener", "ListenerArn", c =>
        {
            var lb = c.Prop("LoadBalancerArn") ?? string.Empty;
            var arn = lb.Replace(":loadbalancer/", ":listener/", StringComparison.Ordinal) + "/" + c.NewId(IdKind.Vpc)[4..20];
            return c.Set("ListenerArn", arn).Done(arn);
        });
        yield return T("AWS::ElasticLoadBalancingV2::ListenerRule", "IsDefault RuleArn", c =>
        {
            var listener = c.Prop("ListenerArn") ?? string.Empty;
            var arn = listener.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/" + c.NewId(IdKind.Vpc)[4..20];
            return c.Set("IsDefault", "false").Set("RuleArn", arn).Done(arn);
        });
        yield return T("AWS::CertificateManager::Certificate", string.Empty, c => c.Done(c.Arn("acm", "certificate/" + Guid.CreateVersion7().ToString())));
        yield return T("AWS::IAM::Role", "Arn RoleId", c =>
        {
            var name = c.Prop("RoleName") ?? c.GeneratedName();
            return c.Set("Arn", c.Arn("iam", $"role{c.Prop("Path") ?? "/"}{name}", regional: false)).Set("RoleId", "AROA" + c.NewId(IdKind.HostedZone)[1..18]).Done(name);
        });
        yield return T("AWS::IAM::Policy", "Id", c =>
        {
            var id = c.Prop("PolicyName") ?? c.GeneratedName();
            return c.Set("Id", id).Done(id);
        });
        yield return T("AWS::IAM::RolePolicy", string.Empty, c => c.Done(c.Prop("PolicyName") ?? c.GeneratedName()));
        yield return T("AWS::IAM::ManagedPolicy", "PolicyArn PolicyId AttachmentCount CreateDate DefaultVersionId IsAttachable UpdateDate", c =>
        {
            var arn = c.Arn("iam", $"policy{c.Prop("Path") ?? "/"}{c.Prop("ManagedPolicyName") ?? c.GeneratedName()}", regional: false);
            return c.Set("PolicyArn", arn).Set("PolicyId", "ANPA" + c.NewId(IdKind.HostedZone)[1..18]).Set("AttachmentCount", "0")
                .Set("CreateDate", "2024-01-01T00:00:00Z").Set("DefaultVersionId", "v1").Set("IsAttachable", "true")
                .Set("UpdateDate", "2024-01-01T00:00:00Z").Done(arn);
        });
        yield return T("AWS::IAM::InstanceProfile", "Arn", c =>
        {
            // The ARN carries the profile's Path (IAM's default "/"), as IAM writes it: arn:aws:iam::123456789012:instance-profile/app/web.
            var name = c.Prop("InstanceProfileName") ?? c.GeneratedName();
            return c.Set("Arn", c.Arn("iam", "instance-profile" + (c.Prop("Path") ?? "/") + name, regional: false)).Done(name);
        });
        yield return T(SsmParameters.ResourceType, "Type Value", SsmParameter);
        yield return T("AWS::Logs::LogGroup", "Arn", c =>
        {
            var name = c.Prop("LogGroupName") ?? c.GeneratedName(512);
            return c.Set("Arn", c.Arn("logs", $"log-group:{name}:*")).Done(name);
        });
    }

    /// <summary>
    /// A parameter of Parameter Store, which the host writes into the sandbox's store at <c>up</c>: named by its
    /// <c>Name</c> or, as CloudFormation names one without, <c>CFN-{logicalId}-{random}</c>. CloudFormation creates only
    /// String and StringList parameters; a SecureString is refused.
    /// </summary>
    private static ResourceIdentity SsmParameter(ResourceIdentityContext c)
    {
        var type = c.Prop("Type");
        var value = c.Prop("Value");
        if (type == "SecureString")
        {
            c.Problem("Type", "SecureString is not a type CloudFormation creates: AWS::SSM::Parameter's Type must be String or StringList (put a secret with aws ssm put-parameter, or use {{resolve:ssm-secure:...}} where CloudFormation reads one).");
        }
        else if (type is not ("String" or "StringList"))
        {
            c.Problem("Type", type is null ? "is required: String or StringList." : $"'{type}' is not a parameter type CloudFormation creates: String or StringList.");
        }

        if (string.IsNullOrEmpty(value))
        {
            c.Problem("Value", "is required: the parameter's value, at least one character.");
        }

        var name = c.Prop("Name");
        if (name is not null && SsmParameters.NameProblem(name) is { } problem)
        {
            c.Problem("Name", problem);
        }

        if (value is not null && SsmParameters.ValueProblem(value, c.Prop("Tier"), c.Prop("AllowedPattern")) is { } refused)
        {
            c.Problem("Value", refused);
        }

        name ??= $"CFN-{c.LogicalId}-{c.NewId(IdKind.HostedZone)[1..13]}";
        return c.Set("Type", type ?? string.Empty).Set("Value", value ?? string.Empty).Done(name);
    }
}
