using System.Collections.Immutable;
using Cloister.Model.Api;
using Cloister.Model.Identifiers;

namespace Cloister.Templates.OpenApi;

/// <summary>Gathers an API's resources by path, making each missing parent on the way, and their methods.</summary>
internal sealed class ApiTree
{
    private readonly IdGenerator _ids;
    private readonly Dictionary<string, (string Id, string? ParentId, string PathPart, List<ApiMethod> Methods)> _byPath = new(StringComparer.Ordinal);

    public ApiTree(IdGenerator ids, string rootResourceId)
    {
        _ids = ids;
        _byPath["/"] = (rootResourceId, null, string.Empty, []);
    }

    /// <summary>The id of the resource at <paramref name="path"/>, created with its parents when missing.</summary>
    public string Ensure(string path, string? id = null)
    {
        path = "/" + path.Trim('/');
        if (_byPath.TryGetValue(path, out var existing))
        {
            return existing.Id;
        }

        var slash = path.LastIndexOf('/');
        var parentPath = slash == 0 ? "/" : path[..slash];
        var parentId = Ensure(parentPath);
        var resourceId = id ?? _ids.Next(IdKind.ApiResource);
        _byPath[path] = (resourceId, parentId, path[(slash + 1)..], []);
        return resourceId;
    }

    /// <summary>Adds a resource known by id under a parent known by id (AWS::ApiGateway::Resource); false when the parent is unknown.</summary>
    public bool TryAddChild(string parentId, string pathPart, string id)
    {
        var parent = _byPath.FirstOrDefault(p => p.Value.Id == parentId);
        if (parent.Key is null)
        {
            return false;
        }

        Ensure(parent.Key == "/" ? "/" + pathPart : $"{parent.Key}/{pathPart}", id);
        return true;
    }

    public bool HasResource(string id) => _byPath.Values.Any(v => v.Id == id);

    public bool AddMethod(string resourceId, ApiMethod method)
    {
        foreach (var entry in _byPath.Values)
        {
            if (entry.Id == resourceId)
            {
                entry.Methods.Add(method);
                return true;
            }
        }

        return false;
    }

    public void AddMethodAt(string path, ApiMethod method) => AddMethod(Ensure(path), method);

    public ImmutableArray<ApiResource> Build() =>
        [.. _byPath.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ApiResource(p.Value.Id, p.Value.ParentId, p.Value.PathPart, p.Key, [.. p.Value.Methods]))];
}
