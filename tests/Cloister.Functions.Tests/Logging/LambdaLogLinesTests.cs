using Cloister.Functions.Logging;

namespace Cloister.Functions.Tests.Logging;

/// <summary>How a process's end is worded: as Go's os.ProcessState says it, since Lambda's runtime manager is written in Go.</summary>
public sealed class LambdaLogLinesTests
{
    [Theory]
    [InlineData(0, "exit status 0")]
    [InlineData(3, "exit status 3")]
    [InlineData(129, "exit status 129")]
    [InlineData(137, "exit status 137")]
    [InlineData(255, "exit status 255")]
    [InlineData(-1, "signal: hangup")]
    [InlineData(-2, "signal: interrupt")]
    [InlineData(-6, "signal: aborted")]
    [InlineData(-7, "signal: bus error")]
    [InlineData(-9, "signal: killed")]
    [InlineData(-11, "signal: segmentation fault")]
    [InlineData(-13, "signal: broken pipe")]
    [InlineData(-15, "signal: terminated")]
    [InlineData(-24, "signal: CPU time limit exceeded")]
    [InlineData(-31, "signal: bad system call")]
    [InlineData(-34, "signal: signal 34")]
    public void ExitReason_Status_WordedAsGoWordsIt(int status, string expected)
    {
        Assert.Equal(expected, LambdaLogLines.ExitReason(status));
    }
}
