using System.Net.Sockets;
using Cloister.Templates.Code;

namespace Cloister.Templates.Tests.Code;

public sealed class LocalFilesTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cloister-localfiles-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string In(string name) => Path.Combine(_folder.FullName, name);

    [Fact]
    public void TypeOf_RegularFile_IsFile()
    {
        File.WriteAllText(In("a.txt"), "x");

        Assert.Equal(LocalFileType.File, LocalFiles.TypeOf(In("a.txt")));
    }

    [Fact]
    public void TypeOf_Directory_IsDirectory()
    {
        Assert.Equal(LocalFileType.Directory, LocalFiles.TypeOf(_folder.FullName));
    }

    [Fact]
    public void TypeOf_Fifo_IsNamedPipeWithoutOpeningIt()
    {
        Fifo.Make(In("pipe"));

        // Opening the pipe would wait for a writer: returning at all shows it was not opened.
        Assert.Equal(LocalFileType.NamedPipe, Fifo.Within(In("pipe"), () => LocalFiles.TypeOf(In("pipe"))));
    }

    [Fact]
    public void TypeOf_DevNull_IsCharacterDevice()
    {
        Assert.Equal(LocalFileType.CharacterDevice, LocalFiles.TypeOf("/dev/null"));
    }

    [Fact]
    public void TypeOf_UnixSocket_IsSocket()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(In("s.sock")));

        Assert.Equal(LocalFileType.Socket, LocalFiles.TypeOf(In("s.sock")));
    }

    [Fact]
    public void TypeOf_SymlinkToFile_IsTheTargetsType()
    {
        File.WriteAllText(In("target.zip"), "PK");
        File.CreateSymbolicLink(In("link.zip"), In("target.zip"));
        Fifo.Make(In("pipe"));
        File.CreateSymbolicLink(In("pipe-link"), In("pipe"));

        Assert.Equal(LocalFileType.File, LocalFiles.TypeOf(In("link.zip")));
        Assert.Equal(LocalFileType.NamedPipe, LocalFiles.TypeOf(In("pipe-link")));
    }

    [Fact]
    public void TypeOf_MissingPathOrDanglingLink_IsMissing()
    {
        File.CreateSymbolicLink(In("dangling"), In("nowhere"));
        File.WriteAllText(In("file"), "x");

        Assert.Equal(LocalFileType.Missing, LocalFiles.TypeOf(In("nowhere")));
        Assert.Equal(LocalFileType.Missing, LocalFiles.TypeOf(In("dangling")));
        Assert.Equal(LocalFileType.Missing, LocalFiles.TypeOf(Path.Combine(In("file"), "under")));
        Assert.Equal(LocalFileType.Missing, LocalFiles.TypeOf("a\0b"));
    }

    [Fact]
    public void Refusal_EveryType_NamesWhatThePathIs()
    {
        Assert.Null(LocalFiles.Refusal("p", LocalFileType.File, folderAllowed: false));
        Assert.Null(LocalFiles.Refusal("p", LocalFileType.Directory, folderAllowed: true));
        Assert.Equal("'p' is a directory, not a file.", LocalFiles.Refusal("p", LocalFileType.Directory, folderAllowed: false));
        Assert.Equal("'p' is a named pipe, not a file or directory.", LocalFiles.Refusal("p", LocalFileType.NamedPipe, folderAllowed: true));
        Assert.Equal("'p' is a character device, not a file.", LocalFiles.Refusal("p", LocalFileType.CharacterDevice, folderAllowed: false));
        Assert.Equal("'p' is a block device, not a file.", LocalFiles.Refusal("p", LocalFileType.BlockDevice, folderAllowed: false));
        Assert.Equal("'p' is a socket, not a file.", LocalFiles.Refusal("p", LocalFileType.Socket, folderAllowed: false));
        Assert.Equal("'p' does not exist.", LocalFiles.Refusal("p", LocalFileType.Missing, folderAllowed: true));
    }
}
