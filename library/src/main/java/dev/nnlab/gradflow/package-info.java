/**
 * Gradient flow: per-parameter gradient statistics after backward ({@link dev.nnlab.gradflow.GradFlow#report}),
 * recording over training steps with hooks ({@link dev.nnlab.gradflow.GradFlow#watch}), diagnostics
 * ({@link dev.nnlab.gradflow.Finding}) under user-set {@link dev.nnlab.gradflow.Thresholds}, and the numbers as
 * Tablesaw tables and XChart charts that print in JShell and save as PNG or SVG headless.
 */
package dev.nnlab.gradflow;
