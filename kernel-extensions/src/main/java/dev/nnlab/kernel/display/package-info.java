/**
 * Rich display: {@link dev.nnlab.kernel.display.Display} (what cells call: display, updateDisplay, html, markdown),
 * {@link dev.nnlab.kernel.display.Renderers} (rendering that always yields text/plain and never fails a cell), and one
 * renderer per type (Tensor, Module, Tablesaw Table, XChart chart, model summary, everyday values), registered in
 * {@code NnlabExtension.renderers}. {@link dev.nnlab.kernel.display.ProgressBar} shows the library's progress bars.
 * All of it works in any kernel built on jjava-jupyter's BaseKernel.
 */
package dev.nnlab.kernel.display;
