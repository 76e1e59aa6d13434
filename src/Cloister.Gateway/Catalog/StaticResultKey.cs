using System.Runtime.CompilerServices;
using Cloister.Model.Api;

namespace Cloister.Gateway.Catalog;

/// <summary>An integration response (by reference: the catalog's own instance), a content type and a backend status.</summary>
internal readonly struct StaticResultKey(IntegrationResponse response, string contentType, int backendStatus) : IEquatable<StaticResultKey>
{
    private readonly IntegrationResponse _response = response;
    private readonly string _contentType = contentType;
    private readonly int _backendStatus = backendStatus;

    public bool Equals(StaticResultKey other) =>
        ReferenceEquals(_response, other._response) && _backendStatus == other._backendStatus && string.Equals(_contentType, other._contentType, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is StaticResultKey other && Equals(other);

    public override int GetHashCode() =>
        HashCode.Combine(RuntimeHelpers.GetHashCode(_response), _backendStatus, string.GetHashCode(_contentType, StringComparison.Ordinal));
}
