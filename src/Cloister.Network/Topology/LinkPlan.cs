namespace Cloister.Network.Topology;

/// <summary>A veth pair between two namespaces, with the (optional) address of each end.</summary>
internal sealed record LinkPlan(string NamespaceA, string InterfaceA, string? AddressA, string NamespaceB, string InterfaceB, string? AddressB);
