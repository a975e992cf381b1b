// Entry point for notebooks: `#load "../shared/SelfSim.csx"` after the #r "nuget: ..." cell.
// It loads every shared script in dependency order. The same files compile into
// shared/SelfSim.Shared.csproj for tests and tools; only this file holds #load lines.

// core
#load "core/SelfSimException.csx"
#load "core/Devices.csx"
#load "core/RunMode.csx"

// figures
#load "figures/PlotlyFigureJson.csx"
#load "figures/PaperStyle.csx"
#load "figures/Figures.csx"
