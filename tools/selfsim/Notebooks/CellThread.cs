using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// One dedicated thread that runs a notebook's cells in order, so thread-local state (TorchSharp's grad mode and
/// dispose scopes, thread statics) carries from cell to cell as it does in an interactive session. A cell that
/// outlives --cell-timeout is abandoned with its thread (a background thread: it cannot keep the process alive).
/// </summary>
public sealed class CellThread : IDisposable
{
    readonly BlockingCollection<Action> _work = new();

    public CellThread(string name)
    {
        var thread = new Thread(() =>
        {
            foreach (var item in _work.GetConsumingEnumerable()) item();
        }, maxStackSize: 64 * 1024 * 1024)
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the thread (its synchronous part; awaits inside continue as usual).</summary>
    public Task<T> Run<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { done.SetResult(work().GetAwaiter().GetResult()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    public void Dispose() => _work.CompleteAdding();
}
