// Loaded by load-chain.ipynb; it loads inner.csx from its own folder (paths resolve relative to this file).
#load "inner.csx"

public static class Outer
{
    public static int Value => Inner.Value * 2;
}
