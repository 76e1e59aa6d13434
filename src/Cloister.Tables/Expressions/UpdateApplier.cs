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

        // REMOVE of list elements uses the original indexes: apply the highest index first.
        var order = Enumerable.Range(0, actions.Length)
            .OrderBy(i => actions[i].Kind == UpdateActionKind.Remove ? 1 : 0)
            .ThenByDescending(i => actions[i].Kind == UpdateActionKind.Remove && actions[i].Path.Elements[^1].IsIndex ? actions[i].Path.Elements[^1].Index : -1);
        foreach (var i in order)
        {
            var action = actions[i];
            var value = values[i];
            switch (action.Kind)
            {
                case UpdateActionKind.Set:
                    SetPath(result, action.Path, value!);
                    break;
                case UpdateActionKind.Remove:
                    RemovePath(result, action.Path);
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
                            RemovePath(result, action.Path);
                        }
                        else
                        {
                            SetPath(result, action.Path, remaining);
                        }

                        break;
                    }
            }
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

    private static void RemovePath(Dictionary<string, AttributeValue> item, DocumentPath path)
    {
        if (path.IsTopLevel)
        {
            item.Remove(path.TopLevel);
            return;
        }

        if (item.TryGetValue(path.TopLevel, out var top) && RemoveIn(top, path.Elements, 1) is { } updated)
        {
            item[path.TopLevel] = updated;
        }
    }

    private static AttributeValue? RemoveIn(AttributeValue container, ImmutableArray<PathElement> elements, int index)
    {
        var element = elements[index];
        var last = index == elements.Length - 1;
        if (element.IsIndex)
        {
            if (container.Kind != AttributeKind.L || element.Index >= container.L.Count)
            {
                return null;
            }

            var list = container.L.ToList();
            if (last)
            {
                list.RemoveAt(element.Index);
            }
            else
            {
                var child = RemoveIn(list[element.Index], elements, index + 1);
                if (child is null)
                {
                    return null;
                }

                list[element.Index] = child;
            }

            return AttributeValue.FromList(list);
        }

        if (container.Kind != AttributeKind.M || !container.M.TryGetValue(element.Name!, out var existing))
        {
            return null;
        }

        var map = new Dictionary<string, AttributeValue>(container.M, StringComparer.Ordinal);
        if (last)
        {
            map.Remove(element.Name!);
        }
        else
        {
            var child = RemoveIn(existing, elements, index + 1);
            if (child is null)
            {
                return null;
            }

            map[element.Name!] = child;
        }

        return AttributeValue.FromMap(map);
    }

    private static DynamoDbException InvalidPath() =>
        DynamoDbException.Validation("The document path provided in the update expression is invalid for update");
}
