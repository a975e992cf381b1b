using SelfSim.Cli;

// libtorch's OpenMP threads must not spin between calls while .NET loops run (see OpenMpWaitPolicy).
OpenMpWaitPolicy.PreferPassive();

return await CliErrors.InvokeAsync(CliRoot.Create(), args);
