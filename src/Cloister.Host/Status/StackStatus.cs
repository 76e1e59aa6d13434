using System.Collections.Immutable;

namespace Cloister.Host.Status;

/// <summary>What <c>cloister status</c> shows: the running stacks, their resources, the hosts and the services.</summary>
/// <param name="State"><c>deploying</c>, <c>ready</c> or <c>stopping</c>.</param>
/// <param name="Region">The region.</param>
/// <param name="Prefix">The sandbox's namespace prefix.</param>
/// <param name="Rootless">Whether the sandbox runs in a user namespace.</param>
/// <param name="HostProcessId">The stack host's process id.</param>
/// <param name="StartedAt">When <c>up</c> began.</param>
/// <param name="ReadyAfterMilliseconds">How long bring-up took; null while deploying.</param>
/// <param name="Stacks">The stacks.</param>
/// <param name="Hosts">Every host of the sandbox.</param>
/// <param name="Services">The services and where they answer.</param>
/// <param name="Functions">The functions and their execution environments.</param>
/// <param name="Targets">Every load balancer target and its health, as <c>describe-target-health</c> shows them.</param>
public sealed record StackStatus(
    string State,
    string Region,
    string Prefix,
    bool Rootless,
    int HostProcessId,
    DateTimeOffset StartedAt,
    long? ReadyAfterMilliseconds,
    ImmutableArray<StackInfo> Stacks,
    ImmutableArray<HostInfo> Hosts,
    ImmutableArray<ServiceInfo> Services,
    ImmutableArray<FunctionInfo> Functions,
    ImmutableArray<TargetHealthInfo> Targets);

/// <summary>A stack as <c>describe-stacks</c> shows it.</summary>
/// <param name="StackName">Its name.</param>
/// <param name="StackId">Its id.</param>
/// <param name="StackStatus"><c>CREATE_COMPLETE</c> once up.</param>
/// <param name="Outputs">Its outputs.</param>
/// <param name="Resources">Its resources.</param>
public sealed record StackInfo(string StackName, string StackId, string StackStatus, ImmutableArray<OutputInfo> Outputs, ImmutableArray<ResourceInfo> Resources);

/// <summary>An output, with CloudFormation's field names.</summary>
/// <param name="OutputKey">Its name.</param>
/// <param name="OutputValue">Its value.</param>
/// <param name="Description">Its description.</param>
/// <param name="ExportName">Its export name.</param>
public sealed record OutputInfo(string OutputKey, string OutputValue, string? Description, string? ExportName);

/// <summary>A resource, with <c>describe-stack-resources</c>' field names.</summary>
/// <param name="LogicalResourceId">Its logical id.</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="PhysicalResourceId">Its physical id.</param>
/// <param name="ResourceStatus"><c>CREATE_COMPLETE</c>.</param>
/// <param name="Running">Whether Cloister runs it (false for resources accepted but inert, such as IAM roles).</param>
public sealed record ResourceInfo(string LogicalResourceId, string ResourceType, string PhysicalResourceId, string ResourceStatus, bool Running);

/// <summary>A host of the sandbox.</summary>
/// <param name="Name">Its logical id (or id).</param>
/// <param name="Kind">What it stands for.</param>
/// <param name="Id">Its resource id.</param>
/// <param name="Address">Its address.</param>
/// <param name="Hostname">Its host name.</param>
/// <param name="Network">Its VPC or on-premises network.</param>
public sealed record HostInfo(string Name, string Kind, string Id, string Address, string Hostname, string? Network);

/// <summary>A service of the sandbox and whether it answers.</summary>
/// <param name="Name">Such as <c>dynamodb</c>, <c>resolver vpc-...</c>, <c>execute-api vpce-...</c>.</param>
/// <param name="Endpoints">Where it listens.</param>
/// <param name="Health"><c>ok</c>, or what is wrong.</param>
public sealed record ServiceInfo(string Name, ImmutableArray<string> Endpoints, string Health);

/// <summary>A function.</summary>
/// <param name="FunctionName">Its name.</param>
/// <param name="Runtime">Its runtime.</param>
/// <param name="ExecutionEnvironments">How many execution environments are running.</param>
/// <param name="ConcurrentExecutions">Its invocations in flight (Lambda's <c>ConcurrentExecutions</c> metric).</param>
public sealed record FunctionInfo(string FunctionName, string Runtime, int ExecutionEnvironments, int ConcurrentExecutions);

/// <summary>A target of a load balancer's target group and its health, with <c>describe-target-health</c>'s words.</summary>
/// <param name="TargetGroupArn">The target group.</param>
/// <param name="Id">The target's address.</param>
/// <param name="Port">The target's port.</param>
/// <param name="State"><c>initial</c>, <c>healthy</c> or <c>unhealthy</c>.</param>
/// <param name="Reason">Why it is not healthy (<c>Elb.InitialHealthChecking</c>, <c>Target.FailedHealthChecks</c>), or null.</param>
public sealed record TargetHealthInfo(string TargetGroupArn, string Id, int Port, string State, string? Reason);
