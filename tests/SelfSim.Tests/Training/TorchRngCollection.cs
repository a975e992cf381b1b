using Xunit;

namespace SelfSim.Tests.Training;

/// <summary>
/// Tests that compare training runs number for number. libtorch's global generator and thread count are process-wide,
/// so these run alone, not beside other test collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "torch global RNG";
}
