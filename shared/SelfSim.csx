// Entry point for notebooks: `#load "../shared/SelfSim.csx"` after the #r "nuget: ..." cell.
// It loads every shared script in dependency order. The same files compile into
// shared/SelfSim.Shared.csproj for tests and tools; only this file holds #load lines, and only this
// file (never compiled into the library) holds a statement: the NotebookKernel.Prepare() call at the end.

// core (ElfVersionNeeds, FSharpCoreBinding, TorchNativeLoader and NotebookKernel make the real kernel work; see the end)
#load "core/SelfSimException.csx"
#load "core/ElfVersionNeeds.csx"
#load "core/FSharpCoreBinding.csx"
#load "core/TorchNativeLoader.csx"
#load "core/NotebookKernel.csx"
#load "core/Devices.csx"
#load "core/RunMode.csx"
#load "core/ResourceLimits.csx"

// measures
#load "measures/PairDistances.csx"
#load "measures/NodeFeatures.csx"
#load "measures/FeatureCapture.csx"
#load "measures/Srate.csx"
#load "measures/SrateForward.csx"
#load "measures/SrateBackward.csx"
#load "hierarchy/LinkageRow.csx"   // the merge-tree row BoxCover and Dendrogram share
#load "measures/BoxCover.csx"
#load "measures/BoxDimensionFitter.csx"
#load "measures/MeasureLimits.csx"

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
#load "data/ImagePipeline.csx"
#load "data/ImageFolder.csx"

// io (AtomicFile is loaded above)
#load "io/WriteFaults.csx"
#load "io/OutputGuard.csx"
#load "io/RunFolderLock.csx"
#load "io/CsvHeader.csx"
#load "io/CsvTable.csx"
#load "io/Npy.csx"
#load "io/FeatureFile.csx"

// statistics
#load "stats/SpecialFunctions.csx"
#load "stats/StudentT.csx"
#load "stats/Estimate.csx"
#load "stats/LeastSquares.csx"
#load "stats/MeanInterval.csx"
#load "stats/NelderMead.csx"
#load "stats/SeedStreams.csx"
#load "stats/PercentileBootstrap.csx"
#load "stats/RankCorrelation.csx"

// graphs
#load "graphs/CsrGraph.csx"
#load "graphs/GraphComponents.csx"
#load "graphs/DegreeDistribution.csx"
#load "graphs/GraphBfs.csx"
#load "graphs/EdgeListFile.csx"
#load "graphs/FeatureGraphs.csx"
#load "graphs/FlowerGraph.csx"
#load "graphs/LatticeGraph.csx"
#load "graphs/BarabasiAlbertGraph.csx"
#load "graphs/ErdosRenyiGraph.csx"
#load "graphs/GraphBoxCoverResult.csx"
#load "graphs/GraphBoxDimensionFit.csx"
#load "graphs/GraphBoxDimensionFitter.csx"
#load "graphs/TabuBoxCover.csx"
#load "graphs/GreedyColoringBoxCover.csx"
#load "graphs/MembBoxCover.csx"
#load "graphs/CbbBoxCover.csx"
#load "graphs/GraphBoxCover.csx"

// the node matrix (needs measures, io and graphs)
#load "measures/NodeMatrix.csx"

// dimensions of point clouds, similarity of representations (need the node matrix, Srate and the d_B fit)
#load "dimensions/PointCloud.csx"
#load "dimensions/TwoNn.csx"
#load "dimensions/LevinaBickelMle.csx"
#load "dimensions/CorrelationDimension.csx"
#load "similarity/LinearCka.csx"

// power laws
#load "powerlaw/HurwitzZeta.csx"
#load "powerlaw/PowerLawFit.csx"
#load "powerlaw/PowerLawBootstrap.csx"
#load "powerlaw/PowerLawComparison.csx"

// weight spectra (need the power-law fit)
#load "spectra/WeightSpectrum.csx"

// hierarchy
#load "hierarchy/ClusteringCoefficients.csx"
#load "hierarchy/HierarchicalModelGraph.csx"
#load "hierarchy/Dendrogram.csx"
#load "graphs/GraphGeneratorSpec.csx"   // after hierarchy: it builds HierarchicalModelGraph too
#load "graphs/GraphSource.csx"          // after the node matrix and the generator spec

// figures
#load "figures/PlotlyFigureJson.csx"
#load "figures/PaperStyle.csx"
#load "figures/Figures.csx"
#load "figures/ChartDisplay.csx"
#load "figures/Tables.csx"
#load "figures/ChartLayout.csx"
#load "figures/BoxCoveringCharts.csx"
#load "figures/DistanceHeatmap.csx"
#load "figures/SimilarityHeatmap.csx"
#load "figures/DegreeCharts.csx"
#load "figures/DendrogramChart.csx"

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
#load "models/StateDictLoader.csx"

// augmentation (the DeiT recipe's parts; TrainingInput assembles them)
#load "augment/ImageAugment.csx"
#load "augment/RandAugment.csx"
#load "augment/MixupCutmix.csx"
#load "augment/RandomErasing.csx"

// training
#load "training/TrainingOptions.csx"
#load "training/CosineWarmupSchedule.csx"
#load "training/SrateGate.csx"
#load "training/SrateObjective.csx"
#load "training/SrateChunks.csx"
#load "training/GradientShare.csx"
#load "training/EpochRecord.csx"
#load "training/RunLog.csx"
#load "training/ResumeSettings.csx"
#load "training/CheckpointSeal.csx"
#load "training/TrainingCheckpoint.csx"
#load "training/RunFolder.csx"
#load "training/TrainingData.csx"
#load "training/TrainingInput.csx"
#load "training/TrainingDivergedException.csx"
#load "training/TrainingProgress.csx"
#load "training/ClassifierTrainer.csx"
#load "training/AccuracyFloor.csx"

// experiments (baseline vs constrained over seeds, grids of them, and their summaries)
#load "experiments/ExperimentSummary.csx"
#load "experiments/ExperimentRunner.csx"
#load "experiments/ExperimentGrid.csx"
#load "experiments/ExperimentCka.csx"

// studies (what the notebooks measure: per-layer summaries, validation sets, surveys, experiments)
#load "studies/LayerMeasures.csx"
#load "studies/SubsampledLayer.csx"
#load "studies/FeatureGraphScan.csx"
#load "studies/KnownDimensionSets.csx"
#load "studies/DimensionValidation.csx"
#load "studies/MlpFeatureLab.csx"
#load "studies/ProbeRecorder.csx"
#load "studies/ArchitectureSurvey.csx"
#load "studies/SurveySeeds.csx"
#load "studies/MeasureCorrelations.csx"
#load "studies/ExperimentCurves.csx"
#load "studies/SrateGradientAudit.csx"
#load "studies/ExperimentDecision.csx"
#load "studies/StudySettings.csx"
#load "studies/StudyCharts.csx"
#load "studies/MlpFeatureLabCache.csx"

// how a value shows in the kernel and in a file-based app (apps/, `selfsim export --to app`); uses figures and studies
#load "figures/Show.csx"

// Run once, before any chart or tensor: FSharp.Core binding for Plotly.NET, TorchSharp's native library when it
// comes from the NuGet cache on an older Linux, and charts that carry plotly.js (see core/NotebookKernel.csx).
NotebookKernel.Prepare();
