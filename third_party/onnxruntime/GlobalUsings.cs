// The ONNX Runtime sources expect System.Reflection to be in scope (the NuGet build adds it via its props).
global using System.Reflection;
