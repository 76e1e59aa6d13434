using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>A resource (path) of a REST API.</summary>
/// <param name="Id">Its 10-character id.</param>
/// <param name="ParentId">Its parent's id; null for the root.</param>
/// <param name="PathPart">Its last path segment (<c>claim</c>, <c>{id}</c>, <c>{proxy+}</c>); empty for the root.</param>
/// <param name="Path">Its full path, such as <c>/claim/{id}</c>; <c>/</c> for the root.</param>
/// <param name="Methods">Its methods.</param>
public sealed record ApiResource(string Id, string? ParentId, string PathPart, string Path, ImmutableArray<ApiMethod> Methods);
