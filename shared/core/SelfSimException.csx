#nullable enable
using System;

/// <summary>
/// An error the user can act on: the message names the thing that is wrong and the fix.
/// The CLI prints it as one line and exits with code 1; notebooks show it as the cell's error.
/// </summary>
public class SelfSimException : Exception
{
    public SelfSimException(string message) : base(message) { }
    public SelfSimException(string message, Exception inner) : base(message, inner) { }
}
