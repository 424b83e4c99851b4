/**
 * Hook recorders for live models: {@link dev.nnlab.hooks.Recorder} (activation and gradient statistics),
 * {@link dev.nnlab.hooks.Clipper} (gradient-norm clipping by hooks) and {@link dev.nnlab.hooks.HookTable} (every
 * hook on a model). Built on {@code Module}'s public hook API, like user code.
 */
package dev.nnlab.hooks;
