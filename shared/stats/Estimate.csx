#nullable enable
/// <summary>A point estimate with its standard error and a two-sided interval at <see cref="Level"/> (0.95: a 95% interval).</summary>
public sealed record Estimate(double Value, double StdError, double Lower, double Upper, double Level = 0.95);
