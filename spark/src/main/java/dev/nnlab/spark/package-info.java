/**
 * nnlab on Apache Spark: sweeps ({@link dev.nnlab.spark.Sweep}) and synchronous data-parallel training
 * ({@link dev.nnlab.spark.DataParallel}) of models defined in notebook cells, on an embedded {@code local[*]}
 * session or a real cluster ({@link dev.nnlab.spark.Cluster}).
 */
package dev.nnlab.spark;
