/**
 * Image datasets: CIFAR-10 binary and IDX (MNIST, Fashion-MNIST) readers over Hadoop's
 * {@code FileSystem} (so {@code file:}, {@code hdfs:}, {@code s3a:}, {@code dbfs:} all work), the
 * paper's seeded validation hold-out, per-channel standardization and crop/flip augmentation.
 * Knows nothing of genotypes or Spark jobs.
 */
package io.nasnet.data;
