/**
 * Child networks: a genotype stacked into a DL4J {@code ComputationGraph} (CIFAR or ImageNet
 * style, the paper's op rules, factorized reductions, ScheduledDropPath, the auxiliary head), its
 * parameter and mult-add counts, the layers and helpers that make DL4J's CPU training fast (each
 * ReLU-conv-BN op and factorized reduction as one layer on oneDNN, {@link io.nasnet.child.onednn.ReluConvBn}
 * and {@link io.nasnet.child.onednn.FactorizedReduction}), and the native-memory limit of children that
 * share a JVM.
 * Knows nothing of Spark or of controllers.
 */
package io.nasnet.child;
