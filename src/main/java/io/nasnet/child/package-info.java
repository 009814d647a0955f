/**
 * Child networks: a genotype stacked into a DL4J {@code ComputationGraph} (CIFAR or ImageNet
 * style, the paper's op rules, factorized reductions, ScheduledDropPath, the auxiliary head), its
 * parameter and mult-add counts, and the oneDNN bridge that makes DL4J's CPU layers fast.
 * Knows nothing of Spark or of controllers.
 */
package io.nasnet.child;
