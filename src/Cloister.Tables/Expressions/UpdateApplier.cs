using System.Collections.Immutable;
using Cloister.Tables.Protocol;
using Cloister.Tables.Values;

namespace Cloister.Tables.Expressions;

/// <summary>
/// Applies an UpdateExpression to an item. Every right-hand side is evaluated against the item as
/// it was before the update, as DynamoDB does; the result is a new item.
/// </summary>
internal static class UpdateApplier
{
    public static Dictionary<string, AttributeValue> Apply(Item original, ImmutableArray<UpdateAction> actions)
    {
        var values = actions.Select(action => action.Kind == UpdateActionKind.Set ? UpdateOperand.Require(action.Value!, original) : action.Value?.Evaluate(original)).ToList();
        var result = new Dictionary<string, AttributeValue>(original, StringComparer.Ordinal);

        // Every REMOVE is applied last and all at once, each path resolved against the item as it was (SET, ADD and DELETE do not
        // move list elements): REMOVE l[0], l[2].x removes x from the element that was third, not from the one that is third after l[0] went.
        List<DocumentPath>? removes = null;
        for (var i = 0; i < actions.Length; i++)
        {
            var action = actions[i];
            var value = values[i];
            switch (action.Kind)
            {
                case UpdateActionKind.Set:
                    SetPath(result, action.Path, value!);
                    break;
                case UpdateActionKind.Remove:
                    (removes ??= []).Add(action.Path);
                    break;
                case UpdateActionKind.Add:
                    {
                        var current = PathResolver.Resolve(result, action.Path);
                        SetPath(result, action.Path, current is null ? value! : Add(current, value!));
                        break;
                    }

                default:
                    {
                        var current = PathResolver.Resolve(result, action.Path);
                        if (current is null)
                        {
                            break;
                        }

                        var remaining = Subtract(current, value!);
                        if (remaining is null)
                        {
                            RemovePaths(result, [action.Path]);
                        }
                        else
                        {
                            SetPath(result, action.Path, remaining);
                        }

                        break;
                    }
            }
        }

        if (removes is not null)
        {
            RemovePaths(result, removes);
        }

        // What SET and ADD wrote may nest deeper than any part of the request did.
        foreach (var action in actions)
        {
            if (action.Kind is UpdateActionKind.Set or UpdateActionKind.Add && result.TryGetValue(action.Path.TopLevel, out var written))
            {
                AttributeValueReader.CheckNesting(written);
            }
        }

        return result;
    }

    private static AttributeValue Add(AttributeValue current, AttributeValue value)
    {
        if (current.Kind != value.Kind)
        {
            throw DynamoDbException.Validation("An operand in the update expression has an incorrect data type");
        }

        switch (current.Kind)
        {
            case AttributeKind.N:
                if (!DynamoNumber.TryAdd(current.N, value.N, out var sum, out var error))
                {
                    throw DynamoDbException.Validation(error!);
                }

                return AttributeValue.FromNumber(sum);
            case AttributeKind.SS:
                return AttributeValue.FromStringSet(current.SS.Union(value.SS, StringComparer.Ordinal).ToList());
            case AttributeKind.NS:
                return AttributeValue.FromNumberSet(current.NS.Union(value.NS).ToList());
            case AttributeKind.BS:
                return AttributeValue.FromBinarySet(current.BS.Concat(value.BS.Where(candidate => !current.BS.Any(existing => existing.AsSpan().SequenceEqual(candidate)))).ToList());
            case AttributeKind.L:
                // Only AttributeUpdates' ADD gets here (an UpdateExpression's ADD refuses a list when parsed): it appends.
                return AttributeValue.FromList([.. current.L, .. value.L]);
            default:
                throw DynamoDbException.Validation("An operand in the update expression has an incorrect data type");
        }
    }

    private static AttributeValue? Subtract(AttributeValue current, AttributeValue value)
    {
        if (current.Kind != value.Kind)
        {
            throw DynamoDbException.Validation("An operand in the update expression has an incorrect data type");
        }

        var remaining = current.Kind switch
        {
            AttributeKind.SS => AttributeValue.FromStringSet(current.SS.Except(value.SS, StringComparer.Ordinal).ToList()),
            AttributeKind.NS => AttributeValue.FromNumberSet(current.NS.Except(value.NS).ToList()),
            _ => AttributeValue.FromBinarySet(current.BS.Where(existing => !value.BS.Any(candidate => candidate.AsSpan().SequenceEqual(existing))).ToList()),
        };
        return remaining.Count == 0 ? null : remaining;
    }

    private static void SetPath(Dictionary<string, AttributeValue> item, DocumentPath path, AttributeValue value)
    {
        if (path.IsTopLevel)
        {
            item[path.TopLevel] = value;
            return;
        }

        if (!item.TryGetValue(path.TopLevel, out var top))
        {
            throw InvalidPath();
        }

        item[path.TopLevel] = SetIn(top, path.Elements, 1, value);
    }

    private static AttributeValue SetIn(AttributeValue container, ImmutableArray<PathElement> elements, int index, AttributeValue value)
    {
        var element = elements[index];
        var last = index == elements.Length - 1;
        if (element.IsIndex)
        {
            if (container.Kind != AttributeKind.L)
            {
                throw InvalidPath();
            }

            var list = container.L.ToList();
            if (last)
            {
                if (element.Index < list.Count)
                {
                    list[element.Index] = value;
                }
                else
                {
                    list.Add(value);
                }
            }
            else
            {
                if (element.Index >= list.Count)
                {
                    throw InvalidPath();
                }

                list[element.Index] = SetIn(list[element.Index], elements, index + 1, value);
            }

            return AttributeValue.FromList(list);
        }

        if (container.Kind != AttributeKind.M)
        {
            throw InvalidPath();
        }

        var map = new Dictionary<string, AttributeValue>(container.M, StringComparer.Ordinal);
        if (last)
        {
            map[element.Name!] = value;
        }
        else
        {
            if (!map.TryGetValue(element.Name!, out var child))
            {
                throw InvalidPath();
            }

            map[element.Name!] = SetIn(child, elements, index + 1, value);
        }

        return AttributeValue.FromMap(map);
    }

    /// <summary>Removes every path, each resolved against the item as it is before any of them goes; a path that resolves to nothing removes nothing.</summary>
    private static void RemovePaths(Dictionary<string, AttributeValue> item, List<DocumentPath> paths)
    {
        foreach (var attribute in paths.GroupBy(path => path.TopLevel, StringComparer.Ordinal))
        {
            if (attribute.Any(path => path.IsTopLevel))
            {
                item.Remove(attribute.Key);
            }
            else if (item.TryGetValue(attribute.Key, out var top))
            {
                item[attribute.Key] = RemoveIn(top, [.. attribute], 1);
            }
        }
    }

    /// <summary>A container without what <paramref name="paths"/> (each longer than <paramref name="depth"/>) name below it, built from it as it was.</summary>
    private static AttributeValue RemoveIn(AttributeValue container, List<DocumentPath> paths, int depth)
    {
        var removed = new HashSet<PathElement>();
        var below = new Dictionary<PathElement, List<DocumentPath>>();
        foreach (var path in paths)
        {
            var element = path.Elements[depth];
            if (element.IsIndex ? container.Kind != AttributeKind.L || element.Index >= container.L.Count : container.Kind != AttributeKind.M || !container.M.ContainsKey(element.Name!))
            {
                continue;
            }

            if (path.Elements.Length == depth + 1)
            {
                removed.Add(element);
            }
            else if (below.TryGetValue(element, out var deeper))
            {
                deeper.Add(path);
            }
            else
            {
                below[element] = [path];
            }
        }

        if (removed.Count == 0 && below.Count == 0)
        {
            return container;
        }

        AttributeValue Kept(PathElement element, AttributeValue child) =>
            below.TryGetValue(element, out var deeper) ? RemoveIn(child, deeper, depth + 1) : child;

        if (container.Kind == AttributeKind.L)
        {
            var list = new List<AttributeValue>(container.L.Count);
            for (var i = 0; i < container.L.Count; i++)
            {
                var element = new PathElement(null, i);
                if (!removed.Contains(element))
                {
                    list.Add(Kept(element, container.L[i]));
                }
            }

            return AttributeValue.FromList(list);
        }

        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var (name, child) in container.M)
        {
            var element = new PathElement(name, 0);
            if (!removed.Contains(element))
            {
                map[name] = Kept(element, child);
            }
        }

        return AttributeValue.FromMap(map);
    }

    private static DynamoDbException InvalidPath() =>
        DynamoDbException.Validation("The document path provided in the update expression is invalid for update");
}
