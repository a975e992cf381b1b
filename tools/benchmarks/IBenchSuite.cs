namespace SelfSim.Benchmarks;

/// <summary>
/// One benchmark suite. `dotnet run -c Release --project tools/benchmarks -- NAME [args]` runs it;
/// with no NAME, every suite runs. A suite prints its own table, with ratios measured in the same run.
/// </summary>
public interface IBenchSuite
{
    string Name { get; }
    string Description { get; }
    void Run(string[] args);
}
