using System.Collections.Frozen;

namespace Cloister.Network.LoadBalancing;

/// <summary>What the data path reads: the catalog and each target group's health (per node), swapped together on update.</summary>
internal sealed record BalancerState(LoadBalancerCatalog Catalog, FrozenDictionary<string, GroupHealth> Health, FrozenDictionary<string, ListenerPlan> ListenersById);
