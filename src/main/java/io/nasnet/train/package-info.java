/**
 * Final training: a found architecture scaled up (N, F, CIFAR or ImageNet stacking) and trained to
 * the end with the paper's recipe, on one machine or data-parallel on Spark, checkpointed every
 * epoch so a crash costs at most one epoch, and recorded in the {@code nas_final} table beside the
 * search history.
 */
package io.nasnet.train;
