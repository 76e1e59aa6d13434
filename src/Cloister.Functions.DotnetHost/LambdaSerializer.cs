using System.Reflection;
using System.Text.Json;

namespace Cloister.Functions.DotnetHost;

/// <summary>
/// Reads inputs and writes results: with the serializer a <c>[LambdaSerializer(typeof(...))]</c> attribute names
/// (on the method or the assembly, as Amazon.Lambda.Core defines it: <c>Deserialize&lt;T&gt;(Stream)</c>,
/// <c>Serialize&lt;T&gt;(T, Stream)</c>), else with System.Text.Json's web defaults.
/// </summary>
internal sealed class LambdaSerializer(object? custom, JsonSerializerOptions json)
{
    private readonly MethodInfo? _deserialize = custom?.GetType().GetMethods().FirstOrDefault(m => m.Name == "Deserialize" && m.IsGenericMethodDefinition);
    private readonly MethodInfo? _serialize = custom?.GetType().GetMethods().FirstOrDefault(m => m.Name == "Serialize" && m.IsGenericMethodDefinition);

    public static LambdaSerializer? For(MethodInfo method, Assembly assembly)
    {
        var attribute = method.GetCustomAttributes().Concat(assembly.GetCustomAttributes())
            .FirstOrDefault(a => a.GetType().Name == "LambdaSerializerAttribute");
        if (attribute?.GetType().GetProperty("SerializerType")?.GetValue(attribute) is not Type serializerType)
        {
            return null;
        }

        return new LambdaSerializer(Activator.CreateInstance(serializerType), new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    public object? Deserialize(ReadOnlyMemory<byte> payload, Type type)
    {
        if (_deserialize is not null)
        {
            using var stream = new MemoryStream(payload.ToArray(), writable: false);
            return Unwrap(() => _deserialize.MakeGenericMethod(type).Invoke(custom, [stream]));
        }

        try
        {
            return JsonSerializer.Deserialize(payload.Span, type, json);
        }
        catch (JsonException exception)
        {
            throw new InvalidCastException($"Error converting the Lambda event JSON payload to type {type.FullName}: {exception.Message}", exception);
        }
    }

    public ReadOnlyMemory<byte> Serialize(object? value, Type type)
    {
        if (_serialize is not null)
        {
            using var stream = new MemoryStream();
            Unwrap(() => _serialize.MakeGenericMethod(type).Invoke(custom, [value, stream]));
            return stream.ToArray();
        }

        return JsonSerializer.SerializeToUtf8Bytes(value, type, json);
    }

    private static object? Unwrap(Func<object?> call)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }
}
