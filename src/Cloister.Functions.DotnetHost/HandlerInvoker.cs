using System.Reflection;
using System.Text.Json;
using Cloister.Lambda.RuntimeClient;

namespace Cloister.Functions.DotnetHost;

/// <summary>
/// A loaded <c>Assembly::Namespace.Type::Method</c> handler, called as Lambda's .NET runtime calls it: an instance
/// created once at init (or a static method); parameters (input, context), (input), (context) or none; the input a
/// <see cref="Stream"/> or a type read with the assembly's <c>[LambdaSerializer]</c> or System.Text.Json; the result
/// returned directly or through <see cref="Task"/>/<see cref="ValueTask"/>.
/// </summary>
internal sealed class HandlerInvoker
{
    private static readonly JsonSerializerOptions DefaultJson = new(JsonSerializerDefaults.Web);

    private readonly MethodInfo _method;
    private readonly object? _instance;
    private readonly Func<ReadOnlyMemory<byte>, LambdaContext, object?>[] _arguments;
    private readonly Type _resultType;
    private readonly LambdaSerializer _serializer;

    private HandlerInvoker(MethodInfo method, object? instance, Func<ReadOnlyMemory<byte>, LambdaContext, object?>[] arguments, Type resultType, LambdaSerializer serializer)
    {
        _method = method;
        _instance = instance;
        _arguments = arguments;
        _resultType = resultType;
        _serializer = serializer;
    }

    public static HandlerInvoker Load(string taskRoot, string handler)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new HandlerLoadException(
                "LambdaValidationException",
                $"Invalid lambda function handler: '{handler}'. The valid format is 'ASSEMBLY::TYPE::METHOD'.");
        }

        var path = Path.Combine(taskRoot, parts[0] + ".dll");
        if (!File.Exists(path))
        {
            throw new HandlerLoadException("LambdaValidationException", $"Could not find the specified handler assembly with the file name '{parts[0]}'.");
        }

        Assembly assembly;
        try
        {
            assembly = new HandlerLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException exception)
        {
            throw new HandlerLoadException("LambdaValidationException", $"Could not load the handler assembly '{parts[0]}': {exception.Message}");
        }

        var type = assembly.GetType(parts[1])
            ?? throw new HandlerLoadException("LambdaValidationException", $"Unable to load type '{parts[1]}' from assembly '{parts[0]}'.");
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == parts[2]).ToArray();
        if (candidates.Length != 1)
        {
            throw new HandlerLoadException(
                "LambdaValidationException",
                candidates.Length == 0
                    ? $"Unable to find method '{parts[2]}' in type '{parts[1]}' from assembly '{parts[0]}'."
                    : $"The method '{parts[2]}' in type '{parts[1]}' has {candidates.Length} overloads; a handler must have one.");
        }

        var method = candidates[0];
        var parameters = method.GetParameters();
        if (parameters.Length > 2)
        {
            throw new HandlerLoadException("LambdaValidationException", $"Handler '{handler}' has {parameters.Length} parameters; at most 2 (input, ILambdaContext).");
        }

        var serializer = LambdaSerializer.For(method, assembly) ?? new LambdaSerializer(null, DefaultJson);
        var arguments = parameters.Select((p, index) => ArgumentFor(p.ParameterType, index, serializer)).ToArray();
        object? instance = null;
        if (!method.IsStatic)
        {
            try
            {
                instance = Activator.CreateInstance(type);
            }
            catch (TargetInvocationException exception)
            {
                var inner = exception.InnerException ?? exception;
                throw new HandlerLoadException(inner.GetType().Name, $"An exception was thrown when the constructor for type '{parts[1]}' was invoked: {inner.Message}");
            }
            catch (MissingMethodException)
            {
                throw new HandlerLoadException("LambdaValidationException", $"Type '{parts[1]}' has no public parameterless constructor.");
            }
        }

        return new HandlerInvoker(method, instance, arguments, UnwrapResultType(method.ReturnType), serializer);
    }

    public async ValueTask<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, LambdaContext context)
    {
        var arguments = new object?[_arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = _arguments[i](payload, context);
        }

        object? result;
        try
        {
            result = _method.Invoke(_instance, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }

        switch (result)
        {
            case Task task:
                await task.ConfigureAwait(false);
                result = _resultType == typeof(void) ? null : task.GetType().GetProperty("Result")!.GetValue(task);
                break;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                result = null;
                break;
            default:
                if (result is not null && result.GetType().IsGenericType && result.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)result.GetType().GetMethod("AsTask")!.Invoke(result, null)!;
                    await asTask.ConfigureAwait(false);
                    result = asTask.GetType().GetProperty("Result")!.GetValue(asTask);
                }

                break;
        }

        if (_resultType == typeof(void))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (result is Stream stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy).ConfigureAwait(false);
            return copy.ToArray();
        }

        return _serializer.Serialize(result, _resultType);
    }

    private static Func<ReadOnlyMemory<byte>, LambdaContext, object?> ArgumentFor(Type type, int index, LambdaSerializer serializer)
    {
        if (type == typeof(LambdaContext))
        {
            return (_, context) => context;
        }

        if (type.IsInterface && type.Name.EndsWith("LambdaContext", StringComparison.Ordinal))
        {
            return (_, context) => LambdaContextProxy.Create(type, context);
        }

        if (index == 1)
        {
            throw new HandlerLoadException("LambdaValidationException", $"The second parameter of a handler must be the context, not {type.FullName}.");
        }

        if (type == typeof(Stream))
        {
            return (payload, _) => new MemoryStream(payload.ToArray(), writable: false);
        }

        return (payload, _) => serializer.Deserialize(payload, type);
    }

    private static Type UnwrapResultType(Type returnType)
    {
        if (returnType == typeof(Task) || returnType == typeof(ValueTask))
        {
            return typeof(void);
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            if (definition == typeof(Task<>) || definition == typeof(ValueTask<>))
            {
                return returnType.GetGenericArguments()[0];
            }
        }

        return returnType;
    }
}
