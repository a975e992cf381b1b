public static class Thrower
{
    public static int Fail(string why)
    {
        throw new System.ArgumentException("thrower says: " + why);
    }
}
