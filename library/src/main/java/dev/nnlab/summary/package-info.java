/**
 * Model summaries like torchinfo's {@code summary()}: {@link dev.nnlab.summary.Summary} runs one forward pass with
 * hooks under no-grad and returns {@link dev.nnlab.summary.ModelStatistics}, whose toString is the table and whose
 * getters are the numbers (parameters counted once even when tied, mult-adds, activation memory, time per layer).
 */
package dev.nnlab.summary;
