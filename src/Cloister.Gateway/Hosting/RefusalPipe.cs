using System.IO.Pipelines;

namespace Cloister.Gateway.Hosting;

/// <summary>A connection's transport with its output read through <see cref="RefusalOutput"/>.</summary>
internal sealed class RefusalPipe(PipeReader input, RefusalOutput output) : IDuplexPipe
{
    public PipeReader Input => input;

    public PipeWriter Output => output;
}
