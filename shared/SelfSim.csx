// Entry point for notebooks: `#load "../shared/SelfSim.csx"` after the #r "nuget: ..." cell.
// It loads every shared script in dependency order. The same files compile into
// shared/SelfSim.Shared.csproj for tests and tools; only this file holds #load lines.

// core
#load "core/SelfSimException.csx"
#load "core/Devices.csx"

// data
#load "data/DataPaths.csx"
#load "data/IdxFile.csx"
#load "data/ImageDataset.csx"
#load "data/Mnist.csx"
#load "data/Cifar.csx"
#load "data/DatasetCatalog.csx"
#load "data/DatasetFetcher.csx"

// io
#load "io/Npy.csx"
#load "io/FeatureFile.csx"

// measures
#load "measures/PairDistances.csx"
#load "measures/NodeFeatures.csx"
#load "measures/FeatureCapture.csx"
#load "measures/Srate.csx"
#load "measures/BoxCover.csx"
#load "measures/BoxDimensionFit.csx"
