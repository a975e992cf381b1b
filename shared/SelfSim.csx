// Entry point for notebooks: `#load "../shared/SelfSim.csx"` after the #r "nuget: ..." cell.
// It loads every shared script in dependency order. The same files compile into
// shared/SelfSim.Shared.csproj for tests and tools; only this file holds #load lines.

// core
#load "core/SelfSimException.csx"
#load "core/Devices.csx"
#load "core/RunMode.csx"

// measures
#load "measures/PairDistances.csx"
#load "measures/NodeFeatures.csx"
#load "measures/FeatureCapture.csx"
#load "measures/Srate.csx"
#load "measures/BoxCover.csx"
#load "measures/BoxDimensionFit.csx"

// io (AtomicFile first: the dataset fetcher writes through it)
#load "io/AtomicFile.csx"

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

// statistics
#load "stats/NetStatsMath.csx"
#load "stats/StudentT.csx"

// graphs
#load "graphs/CsrGraph.csx"
#load "graphs/GraphComponents.csx"
#load "graphs/GraphBfs.csx"
#load "graphs/EdgeListFile.csx"
#load "graphs/FeatureGraphs.csx"
#load "graphs/FlowerGraph.csx"
#load "graphs/LatticeGraph.csx"
#load "graphs/BarabasiAlbertGraph.csx"
#load "graphs/ErdosRenyiGraph.csx"
#load "graphs/GraphBoxCoverResult.csx"
#load "graphs/GraphBoxDimensionFit.csx"
#load "graphs/GreedyColoringBoxCover.csx"
#load "graphs/MembBoxCover.csx"
#load "graphs/CbbBoxCover.csx"

// power laws
#load "powerlaw/HurwitzZeta.csx"
#load "powerlaw/PowerLawFit.csx"
#load "powerlaw/PowerLawBootstrap.csx"
#load "powerlaw/PowerLawComparison.csx"

// hierarchy
#load "hierarchy/ClusteringCoefficients.csx"
#load "hierarchy/HierarchicalModelGraph.csx"
#load "hierarchy/Dendrogram.csx"

// figures
#load "figures/PlotlyFigureJson.csx"
#load "figures/PaperStyle.csx"
#load "figures/Figures.csx"

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
#load "training/EpochRecord.csx"
#load "training/RunLog.csx"
#load "training/ImageAugment.csx"
#load "training/TrainingCheckpoint.csx"
#load "training/TrainingData.csx"
#load "training/TrainingDivergedException.csx"
#load "training/TrainingProgress.csx"
#load "training/ClassifierTrainer.csx"
#load "training/ExperimentSummary.csx"
#load "training/ExperimentRunner.csx"

// plots (notebook helpers: charts, train-and-capture, validation sets)
#load "plots/ChartLayout.csx"
#load "plots/BoxCurveFits.csx"
#load "plots/LayerBoxSummary.csx"
#load "plots/BoxCoveringCharts.csx"
#load "plots/DistanceHeatmap.csx"
#load "plots/DegreeCharts.csx"
#load "plots/DendrogramChart.csx"
#load "plots/FeatureGraphScan.csx"
#load "plots/KnownDimensionSets.csx"
#load "plots/DimensionValidation.csx"
#load "plots/MlpFeatureLab.csx"
// studies
#load "studies/LayerSelfSimilarity.csx"
#load "studies/ProbeRecorder.csx"
#load "studies/ArchitectureSurvey.csx"
#load "studies/ExperimentCurves.csx"
#load "studies/StudySettings.csx"
#load "studies/StudyCharts.csx"
