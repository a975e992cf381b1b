#nullable enable
using System;
using TorchSharp;
using static TorchSharp.torch;

// Layer output -> node matrix, as the reference's model/to_sfm.py reduces hooked outputs
// (Ding et al. 2025, arXiv 2507.17785): tokens are averaged, conv maps are averaged over space.

/// <summary>How a layer output's axes map to (batch, nodes).</summary>
public enum LayerLayout
{
    /// <summary>2-D [B, C]: as is; 3-D [B, T, C]: tokens (mean over T); 4-D and more [B, C, H, W, ...]: channels (mean over the rest).</summary>
    Auto,
    /// <summary>[B, T, C] (or [B, T1, T2, ..., C]): mean over every axis between batch and the last (channel) axis.</summary>
    Tokens,
    /// <summary>[B, C, ...] (e.g. conv1d [B, C, L] or conv2d [B, C, H, W]): mean over every axis after the channel axis.</summary>
    Channels,
}

/// <summary>
/// The node matrix [C, B] of a layer output: one row per neuron or channel (a node), one column per probe
/// sample. This is what <see cref="Srate"/> and <see cref="BoxCover"/> take.
/// </summary>
public static class NodeFeatures
{
    /// <summary>
    /// [B, C] → transpose; [B, T, C] → mean over tokens, transpose; [B, C, H, W] → mean over H and W, transpose.
    /// The result is contiguous [C, B] and stays in the autograd graph of <paramref name="layerOutput"/>.
    /// </summary>
    public static Tensor Reduce(Tensor layerOutput, LayerLayout layout = LayerLayout.Auto)
    {
        if (layerOutput is null) throw new SelfSimException("NodeFeatures.Reduce: the layer output is null.");
        var shape = layerOutput.shape;
        int rank = shape.Length;
        if (rank < 2)
            throw new SelfSimException($"NodeFeatures.Reduce needs a layer output with a batch axis and a channel axis; got shape [{string.Join(", ", shape)}]. " +
                                       "Hook a layer whose output is [B, C], [B, T, C] or [B, C, H, W].");
        if (shape[0] < 1)
            throw new SelfSimException("NodeFeatures.Reduce: the batch is empty (B = 0). Run the model on at least one probe sample.");
        if (rank == 2)
            return layerOutput.transpose(0, 1).contiguous();
        var effective = layout == LayerLayout.Auto ? (rank == 3 ? LayerLayout.Tokens : LayerLayout.Channels) : layout;
        if (effective == LayerLayout.Tokens)
        {
            var dims = new long[rank - 2];
            for (int i = 0; i < dims.Length; i++) dims[i] = i + 1;
            return layerOutput.mean(dims).transpose(0, 1).contiguous();       // [B, C] -> [C, B]
        }
        else
        {
            var dims = new long[rank - 2];
            for (int i = 0; i < dims.Length; i++) dims[i] = i + 2;
            return layerOutput.mean(dims).transpose(0, 1).contiguous();       // [B, C] -> [C, B]
        }
    }
    /// <summary>
    /// The node matrix [C, B] when axis <paramref name="channelAxis"/> (1 … rank−1; negative counts from the end) holds the
    /// channels: the mean over every other axis but the batch, transposed. For shapes <see cref="Reduce"/> reads wrongly,
    /// e.g. a channels-last conv map [B, H, W, C] (axis 3) or a conv1d output [B, C, L] (axis 1).
    /// </summary>
    public static Tensor ReduceAt(Tensor layerOutput, int channelAxis)
    {
        if (layerOutput is null) throw new SelfSimException("NodeFeatures.ReduceAt: the layer output is null.");
        var shape = layerOutput.shape;
        int rank = shape.Length;
        int axis = channelAxis < 0 ? rank + channelAxis : channelAxis;
        if (rank < 2 || axis < 1 || axis >= rank)
            throw new SelfSimException($"channel axis {channelAxis} does not fit a layer output of shape [{string.Join(", ", shape)}]: " +
                                       $"pick an axis from 1 to {rank - 1} (axis 0 is the batch).");
        var dims = new System.Collections.Generic.List<long>();
        for (int i = 1; i < rank; i++) if (i != axis) dims.Add(i);
        var reduced = dims.Count == 0 ? layerOutput : layerOutput.mean(dims.ToArray());   // [B, C]
        return reduced.transpose(0, 1).contiguous();
    }
    /// <summary>The channel axis <see cref="Reduce"/> reads in a layer output of rank <paramref name="rank"/> (Auto): 1 for
    /// [B, C] and [B, C, H, W, ...], 2 (the last) for tokens [B, T, C].</summary>
    public static int DefaultChannelAxis(int rank) => rank == 3 ? 2 : 1;

    /// <summary>
    /// <see cref="ReduceAt"/> on raw row-major float32 data of <paramref name="shape"/> [b, ...] without a tensor: writes each
    /// channel's mean (over every axis but the batch and <paramref name="channelAxis"/>, summed in float64) of sample s
    /// into <paramref name="dest"/>[c · <paramref name="columns"/> + <paramref name="firstColumn"/> + s], i.e. columns of a
    /// [C, columns] node matrix. The path of large probe batches (ONNX Runtime's outputs), where copying into a tensor
    /// first costs more than the mean.
    /// </summary>
    public static void ReduceInto(ReadOnlySpan<float> data, long[] shape, int channelAxis, float[] dest, int columns, int firstColumn)
    {
        int rank = shape.Length;
        int axis = channelAxis < 0 ? rank + channelAxis : channelAxis;
        if (rank < 2 || axis < 1 || axis >= rank)
            throw new SelfSimException($"channel axis {channelAxis} does not fit a layer output of shape [{string.Join(", ", shape)}]: " +
                                       $"pick an axis from 1 to {rank - 1} (axis 0 is the batch).");
        long pre = 1, post = 1;
        for (int i = 1; i < axis; i++) pre *= shape[i];
        for (int i = axis + 1; i < rank; i++) post *= shape[i];
        int b = (int)shape[0], c = (int)shape[axis];
        long perSample = pre * c * post;
        if (data.Length != b * perSample) throw new SelfSimException($"NodeFeatures.ReduceInto: {data.Length} values do not make [{string.Join(", ", shape)}].");
        if (dest.Length < (long)c * columns || firstColumn + b > columns)
            throw new SelfSimException($"NodeFeatures.ReduceInto: the destination [{c}, {columns}] has no room for samples {firstColumn}..{firstColumn + b - 1}.");
        var sums = new double[c];
        double scale = 1.0 / (pre * post);
        for (int s = 0; s < b; s++)
        {
            Array.Clear(sums);
            var sample = data.Slice((int)(s * perSample), (int)perSample);
            for (long p = 0; p < pre; p++)
                for (int ch = 0; ch < c; ch++)
                {
                    var run = sample.Slice((int)((p * c + ch) * post), (int)post);
                    double acc = 0;
                    for (int q = 0; q < run.Length; q++) acc += run[q];
                    sums[ch] += acc;
                }
            for (int ch = 0; ch < c; ch++) dest[(long)ch * columns + firstColumn + s] = (float)(sums[ch] * scale);
        }
    }
}
