/**
 * Progress bars for long loops (training epochs, benchmarks): {@link dev.nnlab.progress.Progress} counts steps, and a
 * {@link dev.nnlab.progress.Progress.Sink} shows them, throttled: a text line updated with {@code \r} in plain
 * JShell, an HTML bar updated in place when the nnlab kernel (or any kernel with nnlab's extension) is running.
 */
package dev.nnlab.progress;
