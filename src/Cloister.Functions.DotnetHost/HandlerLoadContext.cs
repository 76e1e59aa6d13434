using System.Reflection;
using System.Runtime.Loader;

namespace Cloister.Functions.DotnetHost;

/// <summary>
/// Loads the function's assembly and its dependencies from the task root (its deps.json), sharing the host's
/// Cloister.Lambda.RuntimeClient so a handler that takes its <c>LambdaContext</c> gets the host's type.
/// </summary>
internal sealed class HandlerLoadContext(string mainAssemblyPath) : AssemblyLoadContext("function", isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == typeof(Cloister.Lambda.RuntimeClient.LambdaContext).Assembly.GetName().Name)
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
