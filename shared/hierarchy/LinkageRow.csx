#nullable enable

// SciPy's linkage-matrix row (scipy.cluster.hierarchy.linkage; Müllner, arXiv 1109.2378, 2011, for the format): the
// one merge-tree row that the exact box cover (BoxCoverResult.Tree) and the dendrogram (Dendrogram.Linkage) share.

/// <summary>One row of a scipy-style linkage matrix: clusters A and B (ids &lt; n are leaves, n + i is row i's cluster) merge at Height into a cluster of Size leaves.</summary>
public readonly record struct LinkageRow(int A, int B, double Height, int Size);
