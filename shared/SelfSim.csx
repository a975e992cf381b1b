// Entry point for notebooks: `#load "../shared/SelfSim.csx"` after the #r "nuget: ..." cell.
// It loads every shared script in dependency order. The same files compile into
// shared/SelfSim.Shared.csproj for tests and tools; only this file holds #load lines.

// core
#load "core/SelfSimException.csx"
#load "core/Devices.csx"

// measures
#load "measures/NodeFeatures.csx"
#load "measures/FeatureCapture.csx"
#load "measures/Srate.csx"

// data
#load "data/DataPaths.csx"
#load "data/IdxFile.csx"
#load "data/ImageDataset.csx"
#load "data/Mnist.csx"
#load "data/Cifar.csx"
#load "data/DatasetCatalog.csx"
#load "data/DatasetFetcher.csx"

// models
#load "models/HookedModel.csx"
#load "models/PatchEmbedding.csx"
#load "models/ResidualMlp.csx"
#load "models/CifarResNet.csx"
#load "models/SmallVgg.csx"
#load "models/VisionTransformer.csx"
#load "models/MlpMixer.csx"
#load "models/ResMlp.csx"
#load "models/PoolFormer.csx"
#load "models/ModelZoo.csx"

// training
#load "training/TrainingOptions.csx"
#load "training/CosineWarmupSchedule.csx"
#load "training/SrateGate.csx"
#load "training/RunFiles.csx"
#load "training/EpochRecord.csx"
#load "training/RunLog.csx"
#load "training/ImageAugment.csx"
#load "training/TrainingCheckpoint.csx"
#load "training/TrainingData.csx"
#load "training/TrainingDivergedException.csx"
#load "training/TrainingProgress.csx"
#load "training/ClassifierTrainer.csx"
#load "training/StudentT.csx"
#load "training/ExperimentSummary.csx"
#load "training/ExperimentRunner.csx"
