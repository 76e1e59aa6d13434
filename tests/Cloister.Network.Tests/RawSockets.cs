using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cloister.Network.Tests;

/// <summary>
/// Raw IPv4 sockets for any IP protocol number: .NET opens raw sockets only for the protocols its
/// <see cref="ProtocolType"/> maps on Linux, so GRE (47) or ESP (50) need <c>socket(2)</c> itself.
/// </summary>
internal static partial class RawSockets
{
    private const int AddressFamilyInet = 2;
    private const int SocketTypeRaw = 3;

    /// <summary>A raw socket for <paramref name="protocol"/> in the calling thread's network namespace.</summary>
    public static Socket Open(int protocol)
    {
        var fd = NativeSocket(AddressFamilyInet, SocketTypeRaw, protocol);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int NativeSocket(int domain, int type, int protocol);
}
