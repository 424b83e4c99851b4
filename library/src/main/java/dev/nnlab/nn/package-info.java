/**
 * Modules, like {@code torch.nn}: {@link dev.nnlab.nn.Module} (explicit registration, the hooked call path, state
 * dicts), the containers ({@link dev.nnlab.nn.Sequential}, {@link dev.nnlab.nn.ModuleList},
 * {@link dev.nnlab.nn.ModuleDict}, {@link dev.nnlab.nn.ParameterList}, {@link dev.nnlab.nn.ParameterDict}) and thin
 * layers, one per file, each a call into {@code nn.functional.F} with PyTorch's default initialisation and repr.
 */
package dev.nnlab.nn;
