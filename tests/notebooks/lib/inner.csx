public static class Inner
{
    public const int Value = 21;
}
