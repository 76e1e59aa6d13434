namespace Cloister.Network.Reachability;

/// <summary>One hop of a path: a component and what let the traffic pass it.</summary>
/// <param name="Sequence">The hop's position, from 1.</param>
/// <param name="ComponentType">The resource type (<c>AWS::EC2::NetworkInterface</c>, <c>AWS::EC2::SecurityGroup</c>...).</param>
/// <param name="ComponentId">The resource id.</param>
/// <param name="Detail">The rule or route that applied.</param>
public sealed record PathComponent(int Sequence, string ComponentType, string ComponentId, string Detail);
