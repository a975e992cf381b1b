// Entry point for notebooks that read ONNX models (notebook 08): `#load "../shared/SelfSimOnnx.csx"` right after
// `#load "../shared/SelfSim.csx"`, with `#r "nuget: Microsoft.ML.OnnxRuntime, 1.32.0"` and `#r "nuget: OnnxSharp, 0.3.2"`
// in the first cell. Kept apart from SelfSim.csx so the other chapters need neither package. It loads shared/onnx/ in
// dependency order; the library (SelfSim.Shared.csproj) compiles the same files.
#load "onnx/OnnxNativeLoader.csx"
#load "onnx/OnnxModel.csx"
#load "onnx/OnnxLayers.csx"
#load "onnx/OnnxProbe.csx"
#load "onnx/OnnxFeatures.csx"
#load "onnx/OnnxAnalysis.csx"

// ONNX Runtime's native library from the NuGet cache (does nothing where the runtime finds it itself).
OnnxNativeLoader.EnsureLoadable();
